import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// A sweep small enough for the tests: dense [10, 16, 784] on the first 100 MNIST images, one
/// epoch of 5 batches per run, two values of β times two seeds, in a fresh folder.
struct TinySweep {
  let folder: String

  static let config = """
    model: {id: dense, layers: [10, 16, 784]}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.05, 0.1]}
    training: {epochs: 1, batch_size: 20, train_limit: 100, test_limit: 50}
    data: {dir: \(RepositoryPaths.mnist)}
    """

  static let sweep = """
    config: tiny.yaml
    seeds: [1, 2]
    grid:
      learner.beta: [0.5, 1.0]
    out: out
    """

  /// Writes the config and `sweep` (out: resolved inside the folder).
  init(sweep: String = TinySweep.sweep) throws {
    folder = try CPluginBuilder.temporaryFolder("eqprop-sweep")
    try Self.config.write(toFile: folder + "/tiny.yaml", atomically: true, encoding: .utf8)
    try sweep.replacingOccurrences(of: "out: out", with: "out: \(folder)/out")
      .write(toFile: sweepPath, atomically: true, encoding: .utf8)
  }

  var sweepPath: String { folder + "/sweep.yaml" }
  var out: String { folder + "/out" }

  static var catalog: PluginCatalog {
    PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
  }

  func plan() throws -> SweepPlan {
    try SweepPlan(SweepFile.load(file: sweepPath), catalog: Self.catalog)
  }
}
