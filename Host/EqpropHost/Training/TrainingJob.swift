import Foundation

/// The parts of a training run: the data the config names, and the session built from it.
public struct TrainingJob {
  public let config: RunConfig
  public let train: IDXDataset
  public let test: IDXDataset
  public let session: TrainingSession

  public init(config: RunConfig) throws(PluginFailure) {
    self.config = config
    let folder = config.dataFolder ?? IDXDataset.defaultFolder
    do {
      train = try IDXDataset.load(
        folder: folder, split: .train, limit: config.trainLimit > 0 ? config.trainLimit : nil)
      test = try IDXDataset.load(
        folder: folder, split: .test, limit: config.testLimit > 0 ? config.testLimit : nil)
    } catch {
      throw PluginFailure("\(error)")
    }
    session = try TrainingSession(config: config, trainingExamples: train.count)
    guard session.model.inputShape.reduce(1, *) == Int64(train.featureCount) else {
      throw PluginFailure(
        "model '\(config.model.plugin.id)' takes inputs of shape \(session.model.inputShape), but "
          + "the data's images have \(train.featureCount) pixels")
    }
  }

  /// Trains every epoch, reporting each as it ends.
  public func run(report: @escaping (EpochReport) -> Void) throws(PluginFailure) -> [EpochReport] {
    try Trainer(session: session, train: train, test: test).run(report: report)
  }

  /// The default run folder: runs/NAME.
  public var defaultOutput: String { "runs/" + config.name }
}
