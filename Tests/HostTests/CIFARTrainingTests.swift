import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// CIFAR-10 data through a whole run: the model's input must be one CIFAR image, and an
/// augmented epoch trains and replays.
final class CIFARTrainingTests: XCTestCase {
  private func config(layers: String, augment: String = "[]") throws -> RunConfig {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    return try RunConfig.resolve(
      ConfigParser.parse(
        text: """
          model: {id: dense, layers: \(layers)}
          dynamics: {id: discrete, free_steps: 3}
          learner: {id: ep, nudged_steps: 2, beta: 0.5}
          optimizer: {lr: [0.05, 0.05]}
          training: {batch_size: 4, epochs: 2}
          data: {dir: \(try CIFARFixtures.folder()), augment: \(augment)}
          """, source: "cifar.yaml"),
      source: "cifar.yaml", catalog: catalog)
  }

  func testADenseMNISTModelIsRefusedNamingBothSizes() throws {
    XCTAssertThrowsError(try TrainingJob(config: config(layers: "[10, 8, 784]"))) { error in
      let message = "\(error)"
      XCTAssertTrue(message.contains("model 'dense' takes inputs of 784 values"), message)
      XCTAssertTrue(message.contains("CIFAR-10 binary files in"), message)
      XCTAssertTrue(message.contains("hold 3072 per example (shape [3, 32, 32])"), message)
    }
  }

  func testAugmentedTrainingReplaysExactly() throws {
    func weights() throws -> [Double] {
      let job = try TrainingJob(config: config(layers: "[10, 8, 3072]", augment: "[flip, crop]"))
      XCTAssertEqual(job.train.augment, [.flip, .crop])
      XCTAssertEqual(job.test.augment, [])
      let reports = try job.run { _ in }
      XCTAssertEqual(reports.count, 2)
      return job.session.parameterValues().flatMap(\.values)
    }
    XCTAssertEqual(try weights(), try weights())
  }
}
