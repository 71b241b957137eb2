@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The `hopfield` model's derivatives against central finite differences, in float64, for
/// the activations whose ρ'' differs (sigm, sigmoid, tanh: non-zero; hardsigm: zero), both
/// output rows and both input modes. States stay in (0.05, 0.95), away from hardsigm's kinks.
final class HopfieldModelTests: XCTestCase {
  typealias Fixture = HopfieldFixture

  /// param_grad accumulates coeff·Σ_b ∂Φ/∂θ with Φ = −E (phi), not ε times it.
  func testParamGradIsTheGradientOfPhi() throws {
    for model in [
      "activation: sigm", "activation: tanh, output_row: reference, input_through_rho: false",
      "activation: hardsigm", "activation: tanh, input_to_output: true",
    ] {
      let harness = try ModelHarness(yaml: Fixture.config(model), batch: 3)
      let coeff = -0.7
      let grads = try Fixture.filled(harness, harness.parameterShapes, 1)
      try harness.call("param_grad") { vtable, instance, eval, err in
        vtable.param_grad(instance, eval, coeff, grads.views, err)
      }
      let parameters = harness.session.parameters
      for tensor in 0..<parameters.count {
        let name = harness.session.model.parameters[tensor].name
        for index in ModelHarness.sampleIndices(parameters.elementCount(tensor)) {
          guard let theta = harness.element(parameters, tensor, index) else {
            return XCTFail("no data")
          }
          let slope = try Fixture.centralDifference(theta) { try harness.phiSum() }
          Fixture.assertClose(
            (grads.values(tensor)[index] - 1) / coeff, slope, "\(model): ∂Φ/∂\(name)[\(index)]")
        }
      }
    }
  }

  /// vjp against ⟨g, F(s)⟩: the states' cotangent is overwritten, θ's accumulated.
  func testVjpMatchesFiniteDifferencesOfTheDrive() throws {
    let cases: [(model: String, layers: [Int])] = [
      ("activation: sigm", [3, 5, 4, 6]),
      ("activation: tanh", [3, 5, 4, 6]),
      ("activation: sigmoid, input_through_rho: false", [3, 5, 4, 6]),
      ("activation: hardsigm", [3, 5, 4, 6]),
      ("activation: tanh, output_row: reference", [3, 5, 4, 6]),
      ("activation: sigm", [3, 6]),
      ("activation: tanh, input_to_output: true", [3, 5, 4, 6]),
      ("activation: sigm, output_row: reference, input_to_output: true", [3, 5, 6]),
    ]
    for (model, layers) in cases {
      let harness = try ModelHarness(yaml: Fixture.config(model, layers: layers), batch: 2)
      let what = "\(model) \(layers)"
      let cotangent = try Fixture.randomCotangent(harness)
      let cotStates = try Fixture.filled(harness, harness.stateShapes, 7)
      let cotParams = try Fixture.filled(harness, harness.parameterShapes, 1)
      try harness.call("vjp") { vtable, instance, eval, err in
        vtable.vjp(instance, eval, cotangent.views, cotStates.views, cotParams.views, err)
      }
      for layer in 0..<harness.states.count {
        for index in ModelHarness.sampleIndices(harness.states.elementCount(layer)) {
          guard let s = harness.element(harness.states, layer, index) else {
            return XCTFail("no data")
          }
          let slope = try Fixture.centralDifference(s) { try harness.drivePairing(cotangent) }
          Fixture.assertClose(
            cotStates.values(layer)[index], slope, "\(what): ∂⟨g,F⟩/∂s\(layer)[\(index)]")
        }
      }
      let parameters = harness.session.parameters
      for tensor in 0..<parameters.count {
        let name = harness.session.model.parameters[tensor].name
        for index in ModelHarness.sampleIndices(parameters.elementCount(tensor)) {
          guard let theta = harness.element(parameters, tensor, index) else {
            return XCTFail("no data")
          }
          let slope = try Fixture.centralDifference(theta, refresh: harness.reprepare) {
            try harness.drivePairing(cotangent)
          }
          Fixture.assertClose(
            cotParams.values(tensor)[index] - 1, slope, "\(what): ∂⟨g,F⟩/∂\(name)[\(index)]")
        }
      }
    }
  }

  /// cost_grad accumulates coeff·∂ℓ/∂s for both costs; only the output row is touched.
  func testCostGradIsTheGradientOfTheCost() throws {
    for cost in ["half_squared", "squared"] {
      let harness = try ModelHarness(yaml: Fixture.config("cost: \(cost)"), batch: 2)
      let coeff = 0.3
      let gradStates = try Fixture.filled(harness, harness.stateShapes, 1)
      try harness.call("cost_grad") { vtable, instance, eval, err in
        vtable.cost_grad(instance, eval, coeff, gradStates.views, nil, err)
      }
      for layer in 0..<harness.states.count {
        for index in 0..<harness.states.elementCount(layer) {
          guard let s = harness.element(harness.states, layer, index) else {
            return XCTFail("no data")
          }
          let slope = try Fixture.centralDifference(s) { try harness.costSum() }
          Fixture.assertClose(
            (gradStates.values(layer)[index] - 1) / coeff, slope,
            "\(cost): ∂ℓ/∂s\(layer)[\(index)]")
        }
      }
    }
  }

  /// With the exact output row, F = s − ∂E/∂s = s + ∂Φ/∂s on every layer; the reference row
  /// breaks it on the output only (spec pitfall 6), which shows the check can fail.
  func testExactDriveIsTheStateMinusTheEnergyGradient() throws {
    for model in [
      "activation: sigm", "activation: tanh, input_through_rho: false",
      "activation: hardsigm", "activation: sigm, output_row: reference",
      "activation: tanh, input_to_output: true",
    ] {
      let harness = try ModelHarness(yaml: Fixture.config(model), batch: 2)
      let drive = try Fixture.drive(harness)
      let reference = model.contains("reference")
      var outputGap = 0.0
      for layer in 0..<harness.states.count {
        for index in ModelHarness.sampleIndices(harness.states.elementCount(layer)) {
          guard let s = harness.element(harness.states, layer, index) else {
            return XCTFail("no data")
          }
          let expected = s.pointee + (try Fixture.centralDifference(s) { try harness.phiSum() })
          let found = drive.values(layer)[index]
          if reference && layer == 0 {
            outputGap = max(outputGap, abs(found - expected))
          } else {
            Fixture.assertClose(found, expected, "\(model): F_\(layer)[\(index)]")
          }
        }
      }
      if reference {
        XCTAssertGreaterThan(outputGap, 1e-3, "\(model): the reference output row is s − ∂E/∂s")
      }
    }
  }
}
