import Foundation

/// Training speed of a config: `batches` minibatches of random data through its learner, timed
/// after one warm-up batch and projected to an epoch of 60 000 examples. Run in a process of
/// its own (`eqprop bench --train-one`), so its peak resident memory is the config's alone.
public struct TrainingBench {
  public struct Row: Sendable {
    public let config: String
    public let batchSize: Int
    public let secondsPerBatch: Double
    public let peakResidentBytes: Int
    /// Seconds per epoch of the fastest and slowest of `runs` runs, when this row is their
    /// median (`median(of:)`).
    public private(set) var spread: (fastest: Double, slowest: Double, runs: Int)?

    public var examplesPerSecond: Double { Double(batchSize) / secondsPerBatch }
    public var secondsPerEpoch: Double { 60_000 / examplesPerSecond }

    public var json: [String: Any] {
      var object: [String: Any] = [
        "config": config, "batch_size": batchSize, "seconds_per_batch": secondsPerBatch,
        "examples_per_second": examplesPerSecond, "projected_seconds_per_epoch": secondsPerEpoch,
        "peak_resident_bytes": peakResidentBytes,
      ]
      if let spread {
        object["runs"] = spread.runs
        object["fastest_seconds_per_epoch"] = spread.fastest
        object["slowest_seconds_per_epoch"] = spread.slowest
      }
      return object
    }

    /// The median run of one config (by seconds per batch), carrying the spread of all.
    public static func median(of runs: [Row]) -> Row? {
      let sorted = runs.sorted { $0.secondsPerBatch < $1.secondsPerBatch }
      guard var middle = sorted.isEmpty ? nil : sorted[sorted.count / 2], let first = sorted.first,
        let last = sorted.last
      else { return nil }
      middle.spread = (first.secondsPerEpoch, last.secondsPerEpoch, sorted.count)
      return middle
    }

    public init?(json: [String: Any]) {
      guard let config = json["config"] as? String, let batchSize = json["batch_size"] as? Int,
        let seconds = json["seconds_per_batch"] as? Double, let peak = json["peak_resident_bytes"] as? Int
      else { return nil }
      self.init(config: config, batchSize: batchSize, secondsPerBatch: seconds, peakResidentBytes: peak)
    }

    init(config: String, batchSize: Int, secondsPerBatch: Double, peakResidentBytes: Int) {
      self.config = config
      self.batchSize = batchSize
      self.secondsPerBatch = secondsPerBatch
      self.peakResidentBytes = peakResidentBytes
    }
  }

  public let batches: Int

  public init(batches: Int = 20) { self.batches = batches }

  /// Times `file`, with `settings` written in, in this process.
  public func run(file: String, settings: [ConfigSetting] = [], catalog: PluginCatalog)
    throws(PluginFailure) -> Row
  {
    let config: RunConfig
    do {
      config = try RunConfig.load(file: file, catalog: catalog, overrides: .init(settings: settings))
    } catch {
      throw PluginFailure("bench: \(error)")
    }
    let session = try TrainingSession(config: config, trainingExamples: config.batchSize)
    try RandomBatch.begin(session, batch: config.batchSize, seed: config.seed)
    _ = try session.trainBatch(epoch: 0, index: 0)
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 1...batches { _ = try session.trainBatch(epoch: 0, index: index) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Row(
      config: (file as NSString).lastPathComponent, batchSize: config.batchSize,
      secondsPerBatch: seconds / Double(batches), peakResidentBytes: Self.peakResidentBytes())
  }

  /// This process's peak resident set, from getrusage (kilobytes on Linux).
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
  }
}
