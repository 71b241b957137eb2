import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// End-to-end training on real MNIST, kept short enough for CI.
final class TrainingTests: XCTestCase {
  private func config(_ text: String) throws -> RunConfig {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    return try RunConfig.resolve(
      ConfigParser.parse(text: text, source: "test"), source: "test", catalog: catalog,
      overrides: .init(data: RepositoryPaths.mnist))
  }

  /// P-1h's hyperparameters, seed 0, one epoch on the first 5 000 training images: the first
  /// 1 000 test images must come out at ≤ 20 % error (chance is 90 %).
  func testOneShortEpochOfP1hLearns() throws {
    let run = try config(
      """
      seed: 0
      model: {id: dense, layers: [10, 512, 784], activation: sigm}
      dynamics: {id: discrete, free_steps: 40}
      learner: {id: ep, nudged_steps: 15, beta: 0.1}
      optimizer: {lr: [0.04, 0.08]}
      training: {epochs: 1, batch_size: 20, train_limit: 5000, test_limit: 1000}
      """)
    let job = try TrainingJob(config: run)
    let reports = try job.run { _ in }
    let error = try XCTUnwrap(reports.last?.testError)
    XCTAssertLessThanOrEqual(error, 0.20, "test error \(error)")
    XCTAssertEqual(job.test.count, 1000)
    XCTAssertEqual(job.train.count, 5000)
  }

  func testSameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() throws {
    func weights(seed: Int) throws -> [Double] {
      let run = try config(
        """
        seed: \(seed)
        model: {id: dense, layers: [10, 16, 784]}
        dynamics: {id: discrete, free_steps: 5}
        learner: {id: ep, nudged_steps: 2, beta: 0.5, beta_sign: random}
        optimizer: {lr: [0.05, 0.1]}
        training: {epochs: 1, train_limit: 100, test_limit: 10}
        """)
      let job = try TrainingJob(config: run)
      _ = try job.run { _ in }
      return job.session.parameterValues().flatMap(\.values)
    }
    let first = try weights(seed: 3)
    XCTAssertEqual(first, try weights(seed: 3))
    XCTAssertNotEqual(first, try weights(seed: 4))
  }

  func testSavedWeightsEvaluateToTheSameError() throws {
    let run = try config(
      """
      model: {id: dense, layers: [10, 16, 784]}
      dynamics: {id: discrete, free_steps: 10}
      learner: {id: ep, nudged_steps: 4, beta: 0.5}
      optimizer: {lr: [0.05, 0.1]}
      training: {epochs: 1, train_limit: 200, test_limit: 200}
      """)
    let job = try TrainingJob(config: run)
    let reports = try job.run { _ in }
    let folder = try CPluginBuilder.temporaryFolder("eqprop-run")
    try RunFolder.save(job.session, to: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let reloaded = try RunConfig.load(file: folder + "/config.yaml", catalog: catalog)
    let fresh = try TrainingJob(config: reloaded)
    try RunFolder.loadWeights(folder + "/weights.safetensors", into: fresh.session)
    let evaluation = try Trainer(session: fresh.session, train: fresh.train, test: fresh.test).evaluate()
    XCTAssertEqual(evaluation.error, reports.last?.testError)
    XCTAssertEqual(fresh.session.parameterValues().flatMap(\.values), job.session.parameterValues().flatMap(\.values))
  }

  func testDivergenceStopsWithTheTensorNamed() throws {
    let run = try config(
      """
      model: {id: dense, layers: [10, 16, 784], activation: identity}
      dynamics: {id: discrete, free_steps: 60}
      learner: {id: ep, nudged_steps: 2, beta: 0.5}
      optimizer: {lr: [1000, 1000]}
      training: {epochs: 1, train_limit: 200, test_limit: 10}
      """)
    let job = try TrainingJob(config: run)
    XCTAssertThrowsError(try job.run { _ in }) { error in
      let message = "\(error)"
      XCTAssertTrue(message.hasPrefix("the run diverged at epoch 1, batch "), message)
      XCTAssertTrue(message.contains(": dynamics 'discrete' left "), message)
      XCTAssertTrue(message.contains(" non-finite values (NaN or Inf) in layer s"), message)
      XCTAssertTrue(message.contains(" at the end of "), message)
    }
    XCTAssertNotNil(job.session.divergence)
  }

  /// The evaluation's free phase is checked too, and named with its epoch and test batch.
  func testADivergingEvaluationNamesItsEpochAndTestBatch() throws {
    let run = try config(
      """
      model: {id: dense, layers: [10, 16, 784], activation: identity}
      dynamics: {id: discrete, free_steps: 60}
      learner: {id: ep, nudged_steps: 2, beta: 0.5}
      optimizer: {lr: [0.05, 0.1]}
      training: {epochs: 1, train_limit: 20, test_limit: 10}
      """)
    let job = try TrainingJob(config: run)
    // θ a thousand times its initial size: 60 steps of the identity map overflow whatever the
    // rounding.
    for (index, parameter) in job.session.parameterValues().enumerated() {
      let bytes = parameter.values.flatMap { value in
        withUnsafeBytes(of: Float(value * 1000).bitPattern.littleEndian) { Array($0) }
      }
      try job.session.setParameterBytes(index, bytes)
    }
    let trainer = Trainer(session: job.session, train: job.train, test: job.test)
    XCTAssertThrowsError(try trainer.evaluate(afterEpoch: 4)) { error in
      let message = "\(error)"
      XCTAssertTrue(
        message.hasPrefix(
          "the run diverged at epoch 4's evaluation, test batch 1: dynamics 'discrete' left "),
        message)
      XCTAssertTrue(
        message.contains("at the end of the free phase (relaxation 1 of the batch, "), message)
    }
  }

  /// A continual learner's updates are checked one by one: the model is named when its own
  /// apply_step wrote θ, the learner when the host applied the step (momentum keeps the
  /// model out).
  func testAContinualUpdateThatDivergesNamesWhoWroteTheta() throws {
    for (momentum, culprit, call) in [
      (0.0, "model 'dense' left", "(its apply_step, called by learner 'cep')"),
      (0.5, "learner 'cep' left", "(session.apply_step)"),
    ] {
      let run = try config(
        """
        model: {id: dense, layers: [10, 16, 784]}
        dynamics: {id: discrete, free_steps: 5}
        learner: {id: cep, nudged_steps: 4, beta: 0.5}
        optimizer: {lr: [3e38, 3e38], momentum: \(momentum)}
        training: {epochs: 1, train_limit: 20, test_limit: 10}
        """)
      let job = try TrainingJob(config: run)
      XCTAssertThrowsError(try job.run { _ in }) { error in
        let message = "\(error)"
        XCTAssertTrue(
          message.hasPrefix("the run diverged at epoch 1, batch 1: \(culprit) "), message)
        XCTAssertTrue(message.contains("(NaN or Inf) in θ tensor "), message)
        XCTAssertTrue(message.contains(" of the batch \(call)"), message)
      }
    }
  }
}
