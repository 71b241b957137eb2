import Foundation

/// The parts of a training run: the data the config names, and the session built from it.
public struct TrainingJob {
  public let config: RunConfig
  public let train: ImageExamples
  public let test: ImageExamples
  public let session: TrainingSession

  /// The job of one process, or of one rank of a data-parallel run over `communicator`.
  public init(config: RunConfig, communicator: any Communicator = SingleProcess())
    throws(PluginFailure)
  {
    self.config = config
    train = try ImageExamples.load(.train, of: config)
    test = try ImageExamples.load(.test, of: config)
    try BatchShard.checkEveryBatchSplits(
      examples: train.count, batchSize: config.batchSize, ranks: communicator.size)
    session = try TrainingSession(
      config: config, trainingExamples: train.count, communicator: communicator)
    try train.checkInput(of: session.model)
  }

  /// Trains every epoch, reporting each as it ends.
  public func run(report: @escaping (EpochReport) -> Void) throws(PluginFailure) -> [EpochReport] {
    try Trainer(session: session, train: train, test: test).run(report: report)
  }

  /// The default run folder: runs/NAME.
  public var defaultOutput: String { "runs/" + config.name }
}
