@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The `cep` learner in float64 against standard EP on one batch: its debug mode must train as
/// EP, its per-step updates must telescope to EP's update as η → 0, and its angle metric must
/// find BPTT's gradient on an exact energy model.
final class ContinualLearnerTests: XCTestCase {
  private static func config(model: String, dynamics: String, learner: String, lr: Double) -> String {
    """
    dtype: f64
    model: \(model)
    dynamics: \(dynamics)
    learner: \(learner)
    optimizer: {lr: [\(lr), \(lr)]}
    """
  }

  private static let dense = "{id: dense, layers: [3, 5, 6], activation: sigm}"
  private static let discrete = "{id: discrete, free_steps: 20}"

  /// θ after one batch minus θ before, per tensor.
  private func change(_ yaml: String) throws -> (change: [[Double]], harness: ModelHarness) {
    let harness = try ModelHarness(yaml: yaml, batch: 3)
    let before = harness.session.parameterValues().map(\.values)
    _ = try harness.session.trainBatch(epoch: 0, index: 0)
    let after = harness.session.parameterValues().map(\.values)
    return (zip(after, before).map { zip($0, $1).map { $0 - $1 } }, harness)
  }

  /// max |a − b| / max |b| over every tensor.
  private func relativeDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
    let scale = b.joined().map(abs).max() ?? 0
    let gap = zip(a.joined(), b.joined()).map { abs($0 - $1) }.max() ?? .infinity
    return gap / scale
  }

  func testDebugModeTrainsAsStandardEP() throws {
    let ep = try change(Self.config(model: Self.dense, dynamics: Self.discrete, learner: "{id: ep, nudged_steps: 4, beta: 0.5}", lr: 0.1))
    let cep = try change(Self.config(
      model: Self.dense, dynamics: Self.discrete, learner: "{id: cep, nudged_steps: 4, beta: 0.5, debug: true}", lr: 0.1))
    // The η·1e-5 steps move the nudged states by O(1e-6); a wrong sign or scale is O(1).
    XCTAssertLessThan(relativeDifference(cep.change, ep.change), 1e-4)
  }

  func testContinualUpdatesTelescopeToTheEPUpdateAsTheRateVanishes() throws {
    for (lr, close) in [(1e-6, true), (0.5, false)] {
      let ep = try change(Self.config(model: Self.dense, dynamics: Self.discrete, learner: "{id: ep, nudged_steps: 6, beta: 0.5}", lr: lr))
      let cep = try change(Self.config(model: Self.dense, dynamics: Self.discrete, learner: "{id: cep, nudged_steps: 6, beta: 0.5}", lr: lr))
      let difference = relativeDifference(cep.change, ep.change)
      if close {
        XCTAssertLessThan(difference, 1e-4, "η = \(lr): Σ_t Δθ_t must equal EP's Φ_θ(s_K) − Φ_θ(s_0)")
      } else {
        XCTAssertGreaterThan(difference, 1e-3, "η = \(lr): later steps see moved weights, so C-EP is not EP")
      }
    }
  }

  /// With a `vf` model the host routes each step to the model's rule (which leaves VFdisc's
  /// top bias b1 alone); tied, it falls back to EP's increment, which moves b1.
  func testStepsUseTheModelsOwnRuleWhenItHasOne() throws {
    let learner = "{id: cep, nudged_steps: 3, beta: 0.5}"
    let untied = try change(Self.config(model: "{id: vf, layers: [3, 5, 6]}", dynamics: Self.discrete, learner: learner, lr: 0.1))
    let tied = try change(Self.config(model: "{id: vf, layers: [3, 5, 6], tied: true}", dynamics: Self.discrete, learner: learner, lr: 0.1))
    XCTAssertEqual(untied.change[3], [Double](repeating: 0, count: 5), "b1 under the vector-field rule")
    XCTAssertGreaterThan(tied.change[3].map(abs).max() ?? 0, 1e-6, "b1 under EP's rule")
    XCTAssertGreaterThan(untied.change[4].map(abs).max() ?? 0, 1e-6, "B10 learns")
  }

  func testAngleToBPTTVanishesOnAnExactEnergyModel() throws {
    // Converged free phase, exact energy, small β and η: C-EP's total update is BPTT's
    // gradient over the K nudged steps (P4 Thm 1), so the angle is near 0.
    let (_, harness) = try change(Self.config(
      model: "{id: hopfield, layers: [3, 5, 6], activation: tanh, clamp: false}",
      dynamics: "{id: discrete, epsilon: 0.2, free_steps: 4000, tolerance: 1.0e-12}",
      learner: "{id: cep, nudged_steps: 30, beta: 0.001, angle_window: 30}", lr: 1e-8))
    let angle = try XCTUnwrap(harness.session.metrics["angle_bptt"])
    XCTAssertEqual(angle.count, 1)
    XCTAssertLessThan(angle.sum, 0.5, "degrees")
    XCTAssertGreaterThanOrEqual(angle.sum, 0)
  }

  /// Its plain mode calls session->apply_step, appended in 1.2.
  func testLibraryAsksForAOneTwoHost() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    XCTAssertEqual(try catalog.find(.learner, id: "cep").library.requiredHostMinor, 2)
  }
}
