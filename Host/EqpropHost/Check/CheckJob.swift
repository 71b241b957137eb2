@preconcurrency import CEqprop

/// Everything `eqprop check` does, minus printing: the float64 session, its one minibatch,
/// and the checks (with an optional sweep over β).
public struct CheckJob {
  public let config: RunConfig
  public let session: TrainingSession

  public init(config: RunConfig) throws(PluginFailure) {
    guard config.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginFailure("check: the config's dtype is f32; the checks need `dtype: f64`")
    }
    self.config = config
    let batch = config.batchSize
    if config.check.input == "random" {
      session = try TrainingSession(config: config, trainingExamples: batch)
      try RandomBatch.begin(session, batch: batch, seed: config.seed &+ 1)
    } else {
      let train = try ImageExamples.load(.train, of: config)
      session = try TrainingSession(config: config, trainingExamples: train.count)
      try train.checkInput(of: session.model)
      // The papers' check uses the first minibatch of the shuffled training loader.
      let indices = EpochOrder(count: train.count, seed: config.seed).permutation(epoch: 0).prefix(batch)
      try session.beginBatch(examples: Array(indices), labels: indices.map(train.label)) { x, y in
        train.fill(
          indices, epoch: 0, input: x, target: y, dtype: config.dtype,
          classes: session.model.classCount)
      }
    }
  }

  /// The check at the config's β and K (or the given ones).
  public func run(_ mode: GDUCheck.Mode, beta: Double? = nil, steps: Int? = nil) throws(PluginFailure) -> GDUResult {
    try GDUCheck(session: session).run(mode, beta: beta ?? config.check.beta, steps: steps ?? config.check.nudgedSteps)
  }
}
