@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The machinery of `eqprop check`: the relative error of spec §4, and references that agree
/// where the theory says they must.
final class CheckTests: XCTestCase {
  func testRelativeErrorFollowsTheSpecFormula() {
    var accumulator = RelativeErrorAccumulator(count: 3)
    accumulator.add(reference: [1, 0, 2], estimate: [1, 0, 0])
    accumulator.add(reference: [2, 0, 0], estimate: [1, 0, 0])
    // e = sqrt(Σ(n−d)² / max(Σn², Σd²)): element 0: sqrt(1/5); element 1: 0 (both zero);
    // element 2: sqrt(4/4) = 1.
    let errors = accumulator.errors
    XCTAssertEqual(errors[0], (1.0 / 5).squareRoot(), accuracy: 1e-15)
    XCTAssertEqual(errors[1], 0)
    XCTAssertEqual(errors[2], 1, accuracy: 1e-15)
    XCTAssertEqual(accumulator.summary.mean, (errors[0] + 1) / 3, accuracy: 1e-15)
  }

  private func job(_ extra: String, freeSteps: Int = 400, dtype: String = "f64") throws -> CheckJob {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let text = """
      dtype: \(dtype)
      seed: 3
      model: {id: dense, layers: [4, 7, 5], activation: tanh}
      dynamics: {id: discrete, free_steps: \(freeSteps)}
      learner: {id: ep, nudged_steps: 5, beta: 0.01}
      optimizer: {lr: [0.1, 0.1]}
      training: {batch_size: 3}
      check: {beta: 0.001, nudged_steps: 6, input: random}
      \(extra)
      """
    let config = try RunConfig.resolve(ConfigParser.parse(text: text, source: "test"), source: "test", catalog: catalog)
    return try CheckJob(config: config)
  }

  func testRBPAndBPTTReferencesAgreeAtAConvergedFixedPoint() throws {
    let check = try job("")
    let gdu = try check.run(.gdu)
    let rbp = try check.run(.rbp)
    XCTAssertLessThan(gdu.freeResidual, 1e-12, "the free phase must have converged")
    for (a, b) in zip(gdu.neurons + gdu.weights, rbp.neurons + rbp.weights) {
      for (x, y) in zip(a.samples, b.samples) {
        for (u, v) in zip(x.reference, y.reference) {
          XCTAssertEqual(u, v, accuracy: 1e-12 * max(abs(u), 1e-6), "\(a.name)[\(x.element)]")
        }
      }
      // Same EP side, same reference: same error.
      XCTAssertEqual(a.relativeError, b.relativeError, accuracy: 1e-9)
    }
  }

  func testErrorShrinksWithBetaForThePrototypicalModelOnlyToItsFloor() throws {
    // σ outside ∂Φ: the error does not vanish as β → 0 (the paper's point), but a large β adds
    // a first-order error on top of that floor.
    let check = try job("")
    let large = try check.run(.gdu, beta: 0.5)
    let small = try check.run(.gdu, beta: 1e-4)
    XCTAssertGreaterThan(large.worst, small.worst)
    XCTAssertGreaterThan(small.worst, 1e-3, "the prototypical model is not an exact gradient system")
  }

  /// The shipped G-toy config (an exact energy model with an input-to-output matrix): EP's
  /// updates equal BPTT's gradients up to O(β), as Ernoult et al. 2019's Thm 1 says, down to
  /// β = 1e-5; below that, round-off in s_{t+1} − s_t (≈ 1e-16/(εβ)) takes over.
  func testToyModelKeepsTheGDUPropertyToFirstOrderInBeta() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let config = try RunConfig.load(file: RepositoryPaths.root + "/examples/gdu/g-toy.yaml", catalog: catalog)
    let check = try CheckJob(config: config)
    let errors = try [1e-3, 1e-4, 1e-5].map { beta in try check.run(.gdu, beta: beta).worst }
    XCTAssertLessThan(errors[0], 2e-3, "RelMSE at β = 1e-3")
    for (larger, smaller) in zip(errors, errors.dropFirst()) {
      XCTAssertGreaterThan(larger / smaller, 8, "RelMSE per 10× smaller β: \(errors)")
    }
  }

  func testCheckRefusesAFreePhaseShorterThanK() throws {
    XCTAssertThrowsError(try job("", freeSteps: 4).run(.gdu)) { error in
      XCTAssertTrue("\(error)".contains("must be longer than K = 6"), "\(error)")
    }
  }

  func testCheckRefusesFloat32() throws {
    XCTAssertThrowsError(try job("", dtype: "f32").run(.gdu)) { error in
      XCTAssertTrue("\(error)".contains("the checks need `dtype: f64`"), "\(error)")
    }
  }
}
