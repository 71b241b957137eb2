@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// What `eqprop check gdu` does not reach in the model examples of docs/PLUGINS.md: phi.
/// Φ = s0·W01·s1 + s1·W1x·x + b0·s0 + b1·s1 is linear in each parameter tensor, so
/// Σ_b Φ = Σ_k ⟨θ_k, Σ_b ∂Φ/∂θ_k⟩ exactly: phi and param_grad must agree to round-off.
final class ExampleModelTests: XCTestCase {
  private func config(_ id: String) -> String {
    """
    dtype: f64
    model: {id: \(id), layers: [3, 5, 4]}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.1, 0.1]}
    """
  }

  private func assertPhiIsThetaTimesParamGrad(
    _ harness: ModelHarness, file: StaticString = #filePath, line: UInt = #line
  )
    throws
  {
    let grads = try harness.makeSet(harness.parameterShapes)
    try harness.call("param_grad") { vtable, instance, eval, err in
      vtable.param_grad(instance, eval, 1, grads.views, err)
    }
    let parameters = harness.session.parameters
    let pairing = (0..<parameters.count).map {
      zip(parameters.values($0), grads.values($0)).map(*).reduce(0, +)
    }
    .reduce(0, +)
    let phi = try harness.phiSum()
    XCTAssertEqual(phi, pairing, accuracy: 1e-12 * max(abs(phi), 1), file: file, line: line)
    XCTAssertNotEqual(phi, 0, "a zero Φ would prove nothing", file: file, line: line)
  }

  func testCModelPhiAgreesWithParamGrad() throws {
    let plugins = try CPluginBuilder.example(
      "c-model/layered_energy.c", name: "layered_energy", libraries: ["m"])
    try assertPhiIsThetaTimesParamGrad(
      try ModelHarness(yaml: config("example-c-energy"), batch: 3, pluginFolders: [plugins]))
  }

  func testSwiftModelPhiAgreesWithParamGrad() throws {
    try assertPhiIsThetaTimesParamGrad(try ModelHarness(yaml: config("example-energy"), batch: 3))
  }
}
