@preconcurrency import CEqprop

/// Runs epochs: seeded shuffling, minibatches through the learner, then evaluation of the
/// test set with a free phase from zero states (spec §6). It can start anywhere a checkpoint
/// stood (`TrainingProgress`), so a resumed run replays the batches an uninterrupted one
/// would have trained.
public final class Trainer {
  public let session: TrainingSession
  let train: ExampleSource
  let test: ExampleSource

  public init(session: TrainingSession, train: ExampleSource, test: ExampleSource) {
    self.session = session
    self.train = train
    self.test = test
  }

  /// Minibatches per epoch; the last may be smaller.
  public var batchesPerEpoch: Int {
    (train.count + session.config.batchSize - 1) / session.config.batchSize
  }

  /// Trains from `start` to the config's last epoch, telling `observer` after every batch
  /// and epoch; returns the reports of the epochs it finished.
  public func run(from start: TrainingProgress = TrainingProgress(), observer: TrainingObserver)
    throws(PluginFailure) -> [EpochReport]
  {
    let batches = batchesPerEpoch
    let hooks = try HookRunner(session: session, batchesPerEpoch: batches)
    let meter = try UpdateMeter(session)
    var progress = start
    var reports: [EpochReport] = []
    while progress.epochsDone < session.config.epochs {
      let order = EpochOrder(count: train.count, seed: session.config.seed)
        .permutation(epoch: UInt64(progress.epochsDone))
      while progress.batchesDone < batches {
        let window = try trainBatch(
          of: order, &progress, batches: batches, hooks: hooks, meter: meter)
        try observer.batchEnded(progress, window: window, batchesPerEpoch: batches)
      }
      try hooks.afterEpoch()
      progress.epoch.metrics.merge(
        try BatchReport(lossSum: 0, errors: 0, metrics: session.takeMetrics())
          .summedOverRanks(session.communicator).metrics)
      try session.checkReplicasAgree(afterEpoch: progress.epochsDone + 1)
      let evaluation = try evaluate(afterEpoch: progress.epochsDone + 1)
      let tally = progress.epoch
      let report = EpochReport(
        epoch: progress.epochsDone + 1, trainError: tally.errorRate, trainLoss: tally.meanLoss,
        testError: evaluation.error, testLoss: evaluation.loss, seconds: tally.seconds,
        examplesPerSecond: tally.examplesPerSecond, metrics: tally.metrics.averages)
      progress = TrainingProgress(epochsDone: progress.epochsDone + 1)
      reports.append(report)
      try observer.epochEnded(report, progress: progress)
    }
    return reports
  }

  /// Trains for the config's epochs from the start, calling `report` after each.
  public func run(report: @escaping (EpochReport) -> Void) throws(PluginFailure) -> [EpochReport] {
    try run(observer: EpochCallback(report))
  }

  /// Trains batch `progress.batchesDone` of `order` and counts it in `progress`; returns the
  /// window the batch closed, if it closed one.
  private func trainBatch(
    of order: [Int], _ progress: inout TrainingProgress, batches: Int, hooks: HookRunner,
    meter: UpdateMeter
  ) throws(PluginFailure) -> WindowReport? {
    let config = session.config
    let index = progress.batchesDone
    let begin = index * config.batchSize
    let batch = order[begin..<min(begin + config.batchSize, order.count)]
    let closesWindow = (index + 1) % config.logEvery == 0
    // The update size costs a copy of θ and a pass over it, so it is measured on the batch
    // that closes a window (and on the epoch's last): a window's line reports that batch's.
    let measuresUpdate = closesWindow || index + 1 == batches
    let clock = ContinuousClock()
    let start = clock.now
    try loadShard(of: batch, epoch: progress.epochsDone)
    if measuresUpdate { try meter.snapshot(session) }
    let outcome = try session.trainBatch(epoch: progress.epochsDone, index: index)
    var metrics = MetricSums()
    metrics.add("free_steps", Double(outcome.freeSteps))
    if measuresUpdate {
      for change in meter.relativeChanges(session) {
        metrics.add("update/" + change.name, change.value)
      }
    }
    try hooks.afterBatch(index)
    metrics.merge(session.takeMetrics())
    let report = try BatchReport(lossSum: outcome.lossSum, errors: outcome.errors, metrics: metrics)
      .summedOverRanks(session.communicator)
    let elapsed = clock.now - start
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    progress.epoch.add(report, examples: batch.count, seconds: seconds)
    progress.window.add(report, examples: batch.count, seconds: seconds)
    progress.batchesDone += 1
    guard closesWindow else { return nil }
    defer { progress.window = BatchTally() }
    return WindowReport(
      epoch: progress.epochsDone + 1, batch: index + 1, batchesPerEpoch: batches,
      tally: progress.window)
  }

  /// Test error and mean loss of the current θ; `epoch`, the epoch this evaluation ends,
  /// is named if the states diverge. In a data-parallel run each rank evaluates its share of
  /// the test set (a free phase from zero depends on nothing else) and the sums are added.
  public func evaluate(afterEpoch epoch: Int? = nil) throws(PluginFailure) -> (
    error: Double, loss: Double
  ) {
    let communicator = session.communicator
    let mine = BatchShard(globalCount: test.count, rank: communicator.rank, size: communicator.size)
    var errors: Int64 = 0
    var loss = 0.0
    let size = session.config.testBatchSize
    for begin in stride(from: mine.positions.lowerBound, to: mine.positions.upperBound, by: size) {
      let batch = Array(begin..<min(begin + size, mine.positions.upperBound))
      session.stage = epoch.map { .evaluation(epoch: $0, batch: (begin - mine.positions.lowerBound) / size + 1) }
      try load(batch[...], from: test, epoch: 0)
      let outcome = try session.evaluateBatch()
      errors += outcome.errors
      loss += outcome.lossSum
    }
    let sums = try communicator.sum([Double(errors), loss])
    return (sums[0] / Double(max(test.count, 1)), sums[1] / Double(max(test.count, 1)))
  }

  /// Loads this rank's shard of the training batch `batch` (all of it in one process).
  private func loadShard(of batch: ArraySlice<Int>, epoch: Int) throws(PluginFailure) {
    let communicator = session.communicator
    guard communicator.size > 1 else { return try load(batch, from: train, epoch: epoch) }
    let shard = BatchShard(globalCount: batch.count, rank: communicator.rank, size: communicator.size)
    let mine = batch[(batch.startIndex + shard.positions.lowerBound)..<(batch.startIndex + shard.positions.upperBound)]
    try load(mine, from: train, epoch: epoch, shard: shard, of: Array(batch))
  }

  private func load(
    _ batch: ArraySlice<Int>, from source: ExampleSource, epoch: Int, shard: BatchShard? = nil,
    of global: [Int] = []
  ) throws(PluginFailure) {
    let dtype = session.config.dtype
    let classes = session.model.classCount
    try session.beginBatch(
      examples: Array(batch), labels: batch.map(source.label), shard: shard, of: global
    ) { input, target in
      source.fill(batch, epoch: epoch, input: input, target: target, dtype: dtype, classes: classes)
    }
  }

}

/// An observer that only hears of epochs, for callers that want the reports alone.
private final class EpochCallback: TrainingObserver {
  private let report: (EpochReport) -> Void

  init(_ report: @escaping (EpochReport) -> Void) { self.report = report }

  func batchEnded(_ progress: TrainingProgress, window: WindowReport?, batchesPerEpoch: Int) {}

  func epochEnded(_ report: EpochReport, progress: TrainingProgress) { self.report(report) }
}
