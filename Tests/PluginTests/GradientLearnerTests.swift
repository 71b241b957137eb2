@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// BPTT and RBP through the discrete dynamics, in float64: BPTT against central finite
/// differences of the free phase's loss, RBP against BPTT at a converged fixed point.
final class GradientLearnerTests: XCTestCase {
  /// A config whose learner is `learner`; learning rates 0 keep θ fixed while the test reads
  /// the gradient the learner produced.
  static func config(learner: String, freeSteps: Int, epsilon: Double = 1, activation: String = "sigm")
    -> String
  {
    """
    dtype: f64
    model: {id: dense, layers: [3, 5, 4, 6], activation: \(activation)}
    dynamics: {id: discrete, free_steps: \(freeSteps), epsilon: \(epsilon)}
    learner: \(learner)
    optimizer: {lr: [0, 0, 0]}
    """
  }

  private func gradient(_ harness: ModelHarness) throws -> [[Double]] {
    _ = try harness.session.trainBatch(epoch: 0, index: 0)
    return harness.session.gradientValues()
  }

  /// L(θ) = (1/B)Σ_b ℓ(s_T): the free phase from zero, as the learners see it.
  private func loss(_ harness: ModelHarness) throws -> Double {
    try harness.session.evaluateBatch().lossSum / Double(harness.batch)
  }

  private func assertMatchesFiniteDifferences(
    _ harness: ModelHarness, _ gradient: [[Double]], file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let h = 1e-6
    let parameters = harness.session.parameters
    for tensor in 0..<parameters.count {
      for index in ModelHarness.sampleIndices(parameters.elementCount(tensor), 8) {
        guard let theta = harness.element(parameters, tensor, index) else { return XCTFail("no data") }
        let saved = theta.pointee
        theta.pointee = saved + h
        try harness.reprepare()
        let plus = try loss(harness)
        theta.pointee = saved - h
        try harness.reprepare()
        let minus = try loss(harness)
        theta.pointee = saved
        try harness.reprepare()
        let numeric = (plus - minus) / (2 * h)
        let analytic = gradient[tensor][index]
        let scale = max(abs(numeric), abs(analytic), 1e-4)
        XCTAssertLessThan(
          abs(numeric - analytic) / scale, 1e-5,
          "∂L/∂\(harness.session.model.parameters[tensor].name)[\(index)]: BPTT \(analytic), finite difference \(numeric)",
          file: file, line: line)
      }
    }
  }

  func testFullBPTTMatchesFiniteDifferences() throws {
    let harness = try ModelHarness(yaml: Self.config(learner: "{id: bptt}", freeSteps: 7), batch: 3)
    try assertMatchesFiniteDifferences(harness, try gradient(harness))
  }

  func testFullBPTTMatchesFiniteDifferencesWithACrossEntropyReadout() throws {
    // The readout's parameters get their gradient from the cost itself, not from the steps.
    let yaml = Self.config(learner: "{id: bptt}", freeSteps: 7)
      .replacingOccurrences(of: "activation: sigm}", with: "activation: sigm, cost: cross_entropy}")
    let harness = try ModelHarness(yaml: yaml, batch: 3)
    try assertMatchesFiniteDifferences(harness, try gradient(harness))
  }

  func testBPTTThroughEulerStepsMatchesFiniteDifferences() throws {
    // ε < 1: the step's vjp must include the (1 − ε) leak.
    let harness = try ModelHarness(
      yaml: Self.config(learner: "{id: bptt, window: 0}", freeSteps: 9, epsilon: 0.5, activation: "tanh"), batch: 2)
    try assertMatchesFiniteDifferences(harness, try gradient(harness))
  }

  func testWindowLongerThanThePhaseIsFullBPTT() throws {
    let full = try gradient(try ModelHarness(yaml: Self.config(learner: "{id: bptt}", freeSteps: 6), batch: 2))
    let long = try gradient(try ModelHarness(yaml: Self.config(learner: "{id: bptt, window: 50}", freeSteps: 6), batch: 2))
    XCTAssertEqual(full, long)
  }

  func testTruncatedWindowDiffersAndHoldsOnlyTheWindowInMemory() throws {
    let full = try ModelHarness(yaml: Self.config(learner: "{id: bptt}", freeSteps: 40), batch: 2)
    let short = try ModelHarness(yaml: Self.config(learner: "{id: bptt, window: 2}", freeSteps: 40), batch: 2)
    let longer = try ModelHarness(yaml: Self.config(learner: "{id: bptt, window: 2}", freeSteps: 400), batch: 2)
    XCTAssertNotEqual(try gradient(full), try gradient(short))
    _ = try gradient(longer)
    // final, two cotangents and a ring of `window` states, whatever T is.
    XCTAssertEqual(short.session.pluginSetCount, 3 + 2)
    XCTAssertEqual(longer.session.pluginSetCount, 3 + 2)
    XCTAssertEqual(full.session.pluginSetCount, 3 + 40)
  }

  func testRBPEqualsLongBPTTAtAConvergedFixedPoint() throws {
    // Small weights make the map a contraction; 300 steps reach the fixed point to round-off,
    // so K adjoint steps at s* equal BPTT over the last K steps (spec §2.4).
    let steps = 30
    func harness(_ learner: String) throws -> ModelHarness {
      let made = try ModelHarness(yaml: Self.config(learner: learner, freeSteps: 300), batch: 2)
      try made.scaleParameters(by: 0.3)
      return made
    }
    let bptt = try gradient(try harness("{id: bptt, window: \(steps)}"))
    let rbp = try gradient(try harness("{id: rbp, steps: \(steps)}"))
    for (tensor, (a, b)) in zip(bptt, rbp).enumerated() {
      let scale = max(a.map(abs).max() ?? 0, 1e-12)
      let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThan(worst / scale, 1e-10, "tensor \(tensor): RBP and BPTT differ by \(worst)")
    }
  }

  func testRBPResidualStopEndsEarlyAndStillAgrees() throws {
    func harness(_ learner: String) throws -> ModelHarness {
      let made = try ModelHarness(yaml: Self.config(learner: learner, freeSteps: 300), batch: 2)
      try made.scaleParameters(by: 0.3)
      return made
    }
    let exact = try gradient(try harness("{id: rbp, steps: 200}"))
    let stopped = try gradient(try harness("{id: rbp, steps: 200, tolerance: 1e-9}"))
    for (a, b) in zip(exact, stopped) {
      let scale = max(a.map(abs).max() ?? 0, 1e-12)
      XCTAssertLessThan((zip(a, b).map { abs($0 - $1) }.max() ?? 0) / scale, 1e-6)
    }
  }
}
