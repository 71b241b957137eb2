import Foundation

extension SweepRunner {
  /// Every rank's outcomes on rank 0, in the plan's order, and nil on the other ranks. They
  /// travel as JSON through allgather, so rank 0 needs no file system shared with the others.
  /// Every rank calls it, with no runs too: it is collective.
  func gather(_ outcomes: [SweepOutcome]) throws(PluginFailure) -> [SweepOutcome]? {
    let bytes: Data
    do {
      bytes = try JSONEncoder().encode(outcomes)
    } catch {
      throw PluginFailure(
        "rank \(communicator.rank): its runs' outcomes cannot be encoded: \(error)")
    }
    let parts = try communicator.allgather(Array(bytes))
    guard communicator.isLeader else { return nil }
    var all: [SweepOutcome] = []
    for (rank, part) in parts.enumerated() {
      do {
        all += try JSONDecoder().decode([SweepOutcome].self, from: Data(part))
      } catch {
        throw PluginFailure(
          "rank \(rank) sent outcomes rank 0 cannot read (\(error)); do all ranks run the same "
            + "eqprop?")
      }
    }
    all.sort { $0.run < $1.run }
    guard all.map(\.run) == Array(plan.runs.indices) else {
      throw PluginFailure(
        "the ranks reported runs \(all.map(\.run)) where \(plan.runs.count) were planned; did "
          + "every rank read the same sweep file?")
    }
    return all
  }
}
