@preconcurrency import CEqprop

/// Runs epochs: seeded shuffling, minibatches through the learner, then evaluation of the
/// test set with a free phase from zero states (spec §6).
public final class Trainer {
  public let session: TrainingSession
  let train: ExampleSource
  let test: ExampleSource

  public init(session: TrainingSession, train: ExampleSource, test: ExampleSource) {
    self.session = session
    self.train = train
    self.test = test
  }

  /// Trains for the config's epochs, calling `report` after each.
  public func run(report: (EpochReport) -> Void) throws(PluginFailure) -> [EpochReport] {
    var reports: [EpochReport] = []
    let batches = (train.count + session.config.batchSize - 1) / session.config.batchSize
    let hooks = try HookRunner(session: session, batchesPerEpoch: batches)
    for epoch in 0..<session.config.epochs {
      let result = try runEpoch(epoch, hooks: hooks)
      reports.append(result)
      report(result)
    }
    return reports
  }

  func runEpoch(_ epoch: Int, hooks: HookRunner) throws(PluginFailure) -> EpochReport {
    let config = session.config
    session.resetMetrics()
    let order = EpochOrder(count: train.count, seed: config.seed).permutation(epoch: UInt64(epoch))
    let clock = ContinuousClock()
    let start = clock.now
    var errors: Int64 = 0
    var loss = 0.0
    var index = 0
    for begin in stride(from: 0, to: order.count, by: config.batchSize) {
      let batch = order[begin..<min(begin + config.batchSize, order.count)]
      try load(batch, from: train, epoch: epoch)
      let outcome = try session.trainBatch(epoch: epoch, index: index)
      errors += outcome.errors
      loss += outcome.lossSum
      try hooks.afterBatch(index)
      index += 1
    }
    let elapsed = clock.now - start
    try hooks.afterEpoch()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let evaluation = try evaluate()
    return EpochReport(
      epoch: epoch + 1, trainError: Double(errors) / Double(max(order.count, 1)),
      trainLoss: loss / Double(max(order.count, 1)), testError: evaluation.error,
      testLoss: evaluation.loss, seconds: seconds,
      examplesPerSecond: Double(order.count) / max(seconds, 1e-9),
      metrics: session.metrics.mapValues { $0.sum / Double(max($0.count, 1)) })
  }

  /// Test error and mean loss of the current θ.
  public func evaluate() throws(PluginFailure) -> (error: Double, loss: Double) {
    var errors: Int64 = 0
    var loss = 0.0
    let size = session.config.testBatchSize
    for begin in stride(from: 0, to: test.count, by: size) {
      let batch = Array(begin..<min(begin + size, test.count))
      try load(batch[...], from: test, epoch: 0)
      let outcome = try session.evaluateBatch()
      errors += outcome.errors
      loss += outcome.lossSum
    }
    return (Double(errors) / Double(max(test.count, 1)), loss / Double(max(test.count, 1)))
  }

  private func load(_ batch: ArraySlice<Int>, from source: ExampleSource, epoch: Int) throws(PluginFailure) {
    let dtype = session.config.dtype
    let classes = session.model.classCount
    try session.beginBatch(examples: Array(batch), labels: batch.map(source.label)) { input, target in
      source.fill(batch, epoch: epoch, input: input, target: target, dtype: dtype, classes: classes)
    }
  }
}
