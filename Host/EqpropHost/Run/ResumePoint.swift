import Foundation

/// Where a resumed run picks up: its latest checkpoint restored into a fresh session, the
/// length of metrics.jsonl it counted, and what earlier epochs reported.
struct ResumePoint {
  var progress = TrainingProgress()
  var metricsOffset: UInt64 = 0
  var earlierReports: [EpochReport] = []
  var bestTestError: Double?

  /// Restores θ, the optimizer, the persistent states and the random stream of the latest
  /// checkpoint in `folder` into `session`; the start of the run when there is none. Refuses
  /// a checkpoint written under another config or for another number of batches per epoch.
  /// In a data-parallel run rank 0 alone reads the folder and sends the checkpoint to the
  /// others, so only rank 0 needs to reach it.
  static func restore(_ session: TrainingSession, from folder: String, batchesPerEpoch: Int)
    throws(PluginFailure)
    -> ResumePoint
  {
    let communicator = session.communicator
    var point = ResumePoint()
    var checkpoint: (tensors: SafetensorsFile, path: String, bytes: [UInt8], rng: [UInt64])?
    try communicator.onLeader { () throws(PluginFailure) in
      (point, checkpoint) = try read(folder, config: session.config, batchesPerEpoch: batchesPerEpoch)
    }
    if communicator.size > 1 {
      let shared = try communicator.broadcast(try SharedCheckpoint(point, checkpoint).encoded())
      let bytes = try communicator.broadcast(checkpoint?.bytes ?? [])
      let received = try SharedCheckpoint.decode(shared)
      point.bestTestError = received.bestTestError
      if !communicator.isLeader, !received.none {
        point.progress = received.progress
        do {
          let tensors = try SafetensorsFile.decode(bytes, file: received.path)
          checkpoint = (tensors, received.path, [], received.rng)
        } catch {
          throw PluginFailure("rank 0's checkpoint \(received.path) did not arrive whole: \(error)")
        }
      }
    }
    guard let checkpoint else { return point }
    try session.loadParameters(from: checkpoint.tensors, path: checkpoint.path)
    try session.loadTrainingState(from: checkpoint.tensors, path: checkpoint.path)
    try session.restoreRandomState(checkpoint.rng, path: checkpoint.path)
    return point
  }

  /// The latest checkpoint of `folder`, checked against `config`, with what it says of the
  /// run; no checkpoint at the run's start.
  private static func read(_ folder: String, config: RunConfig, batchesPerEpoch: Int)
    throws(PluginFailure)
    -> (ResumePoint, (tensors: SafetensorsFile, path: String, bytes: [UInt8], rng: [UInt64])?)
  {
    var point = ResumePoint()
    let latest = CheckpointSlot.latest(in: folder)
    let best = CheckpointSlot.best(in: folder)
    let bestRecord = try best.sidecar()
    best.removeTensorFiles(keeping: bestRecord?.tensors)
    point.bestTestError = bestRecord?.testError
    guard let (record, tensors, path, bytes) = try latest.read() else {
      latest.removeTensorFiles(keeping: nil)
      return (point, nil)
    }
    latest.removeTensorFiles(keeping: record.tensors)
    guard record.configSHA256 == config.identityDigest else {
      throw PluginFailure(
        "\(latest.sidecarPath) was written under another config (SHA-256 \(record.configSHA256), now "
          + "\(config.identityDigest)): was \(folder)/\(RunFolder.configName) edited? Only "
          + RunConfig.resumableKeys.joined(separator: ", ") + " may change when a run resumes")
    }
    guard record.batchesPerEpoch == batchesPerEpoch else {
      throw PluginFailure(
        "\(latest.sidecarPath) counts \(record.batchesPerEpoch) batches per epoch, the data now gives "
          + "\(batchesPerEpoch): data.dir holds another data set than the run trained on")
    }
    guard let words = record.rngWords else {
      throw PluginFailure("\(latest.sidecarPath): rng holds \(record.rng), not four hex words")
    }
    point.progress = record.progress
    point.metricsOffset = record.metricsOffset
    point.earlierReports = MetricsLog.lines(
      folder + "/" + RunFolder.metricsName, upTo: record.metricsOffset
    )
    .compactMap(MetricsLine.epochReport)
    return (point, (tensors, path, bytes, words))
  }
}

/// What rank 0 tells the other ranks of the checkpoint it read, besides its tensors: the
/// position, the random stream and the path for messages (`none` at the run's start), and
/// the best test error so far, which decides when every rank gathers a best checkpoint.
private struct SharedCheckpoint: Codable {
  var progress: TrainingProgress
  var rng: [UInt64]
  var path: String
  var none: Bool
  var bestTestError: Double?

  init(
    _ point: ResumePoint,
    _ checkpoint: (tensors: SafetensorsFile, path: String, bytes: [UInt8], rng: [UInt64])?
  ) {
    progress = point.progress
    bestTestError = point.bestTestError
    rng = checkpoint?.rng ?? []
    path = checkpoint?.path ?? ""
    none = checkpoint == nil
  }

  func encoded() throws(PluginFailure) -> [UInt8] {
    do {
      return Array(try JSONEncoder().encode(self))
    } catch {
      throw PluginFailure("internal: the checkpoint's position does not encode: \(error)")
    }
  }

  static func decode(_ bytes: [UInt8]) throws(PluginFailure) -> SharedCheckpoint {
    do {
      return try JSONDecoder().decode(SharedCheckpoint.self, from: Data(bytes))
    } catch {
      throw PluginFailure("rank 0's account of its checkpoint does not decode: \(error)")
    }
  }
}
