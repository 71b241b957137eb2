import Foundation

/// One rank's account of a batch, summed over ranks so that every rank reports the global
/// batch: the loss and errors of its shard and the metrics its plugins logged.
struct BatchReport: Codable {
  var lossSum: Double
  var errors: Int64
  var metrics: MetricSums

  /// The sum over ranks of every rank's report (the metrics' sums and counts merged, so each
  /// metric averages over every rank's values).
  func summedOverRanks(_ communicator: any Communicator) throws(PluginFailure) -> BatchReport {
    guard communicator.size > 1 else { return self }
    let mine: [UInt8]
    do {
      mine = Array(try JSONEncoder().encode(self))
    } catch {
      throw PluginFailure("internal: a batch's report does not encode: \(error)")
    }
    var total = BatchReport(lossSum: 0, errors: 0, metrics: MetricSums())
    for (rank, bytes) in try communicator.allgather(mine).enumerated() {
      let report: BatchReport
      do {
        report = try JSONDecoder().decode(BatchReport.self, from: Data(bytes))
      } catch {
        throw PluginFailure("rank \(rank)'s report of the batch does not decode: \(error)")
      }
      total.lossSum += report.lossSum
      total.errors += report.errors
      total.metrics.merge(report.metrics)
    }
    return total
  }
}
