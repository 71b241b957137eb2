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
  static func restore(_ session: TrainingSession, from folder: String, batchesPerEpoch: Int)
    throws(PluginFailure)
    -> ResumePoint
  {
    var point = ResumePoint()
    let latest = CheckpointSlot.latest(in: folder)
    let best = CheckpointSlot.best(in: folder)
    let bestRecord = try best.sidecar()
    best.removeTensorFiles(keeping: bestRecord?.tensors)
    point.bestTestError = bestRecord?.testError
    guard let (record, tensors, path) = try latest.read() else {
      latest.removeTensorFiles(keeping: nil)
      return point
    }
    latest.removeTensorFiles(keeping: record.tensors)
    guard record.configSHA256 == session.config.identityDigest else {
      throw PluginFailure(
        "\(latest.sidecarPath) was written under another config (SHA-256 \(record.configSHA256), now "
          + "\(session.config.identityDigest)): was \(folder)/\(RunFolder.configName) edited? Only "
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
    try session.loadParameters(from: tensors, path: path)
    try session.loadTrainingState(from: tensors, path: path)
    try session.restoreRandomState(words, path: latest.sidecarPath)
    point.progress = record.progress
    point.metricsOffset = record.metricsOffset
    point.earlierReports = MetricsLog.lines(
      folder + "/" + RunFolder.metricsName, upTo: record.metricsOffset
    )
    .compactMap(MetricsLine.epochReport)
    return point
  }
}
