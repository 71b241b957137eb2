@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The `vf` model in float64: its vjp against finite differences in both forms and tied, its
/// drive and step rule against the spec's formulas written out by hand, and the initial angle.
final class VectorFieldModelTests: XCTestCase {
  typealias Fixture = HopfieldFixture

  private func harness(_ model: String, layers: [Int] = [3, 5, 4, 6], batch: Int = 2, seed: Int = 0) throws
    -> ModelHarness
  {
    let groups = Array(repeating: "0.1", count: layers.count - 1).joined(separator: ", ")
    return try ModelHarness(
      yaml: """
        dtype: f64
        seed: \(seed)
        model: {id: vf, layers: \(layers)\(model.isEmpty ? "" : ", " + model)}
        dynamics: {id: discrete, free_steps: 5}
        learner: {id: cep, nudged_steps: 2, beta: 0.5}
        optimizer: {lr: [\(groups)]}
        """, batch: batch)
  }

  func testVjpMatchesFiniteDifferencesOfTheDrive() throws {
    for model in ["form: discrete", "form: continuous, activation: tanh", "tied: true", "form: continuous, tied: true"] {
      let harness = try harness(model)
      let cotangent = try Fixture.randomCotangent(harness)
      let cotStates = try Fixture.filled(harness, harness.stateShapes, 7)
      let cotParams = try Fixture.filled(harness, harness.parameterShapes, 1)
      try harness.call("vjp") { vtable, instance, eval, err in
        vtable.vjp(instance, eval, cotangent.views, cotStates.views, cotParams.views, err)
      }
      for layer in 0..<harness.states.count {
        for index in ModelHarness.sampleIndices(harness.states.elementCount(layer)) {
          guard let s = harness.element(harness.states, layer, index) else { return XCTFail("no data") }
          let slope = try Fixture.centralDifference(s) { try harness.drivePairing(cotangent) }
          Fixture.assertClose(cotStates.values(layer)[index], slope, "\(model): ∂⟨g,F⟩/∂s\(layer)[\(index)]")
        }
      }
      let parameters = harness.session.parameters
      for tensor in 0..<parameters.count {
        let name = harness.session.model.parameters[tensor].name
        for index in ModelHarness.sampleIndices(parameters.elementCount(tensor)) {
          guard let theta = harness.element(parameters, tensor, index) else { return XCTFail("no data") }
          let slope = try Fixture.centralDifference(theta, refresh: harness.reprepare) {
            try harness.drivePairing(cotangent)
          }
          Fixture.assertClose(cotParams.values(tensor)[index] - 1, slope, "\(model): ∂⟨g,F⟩/∂\(name)[\(index)]")
        }
      }
    }
  }

  /// The SDK's layers check: a vf net, and dense with a readout, need a hidden layer.
  func testLayerListsWithoutAHiddenLayerAreRefusedByName() {
    let cases = [
      ("{id: vf, layers: [10, 784]}", "cep"),
      ("{id: dense, layers: [10, 784], cost: cross_entropy}", "ep"),
    ]
    for (model, learner) in cases {
      let yaml = """
        dtype: f64
        model: \(model)
        dynamics: {id: discrete, free_steps: 5}
        learner: {id: \(learner), nudged_steps: 2, beta: 0.5}
        optimizer: {lr: [0.1]}
        """
      XCTAssertThrowsError(try ModelHarness(yaml: yaml, batch: 1), model) { error in
        XCTAssertTrue("\(error)".contains("model.layers: [10, 784] has 2 entries"), "\(error)")
      }
    }
  }

  /// Tied, vf is the prototypical network: the same θ (same seed) gives dense's drive exactly.
  func testTiedDriveIsTheDenseDrive() throws {
    let tied = try harness("tied: true", seed: 4)
    let dense = try ModelHarness(
      yaml: """
        dtype: f64
        seed: 4
        model: {id: dense, layers: [3, 5, 4, 6]}
        dynamics: {id: discrete, free_steps: 5}
        learner: {id: ep, nudged_steps: 2, beta: 0.5}
        optimizer: {lr: [0.1, 0.1, 0.1]}
        """, batch: 2)
    XCTAssertEqual(
      tied.session.parameterValues().map(\.values), dense.session.parameterValues().map(\.values))
    let a = try Fixture.drive(tied)
    let b = try Fixture.drive(dense)
    for layer in 0..<a.count { XCTAssertEqual(a.values(layer), b.values(layer), "s\(layer)") }
  }

  /// F_0 = σ(W01 s1 + b0), F_1 = σ(W1x x + b1 + B10 s0), and the step rule
  /// ΔW01 = Δs0 s1ᵀ, ΔB10 = Δs1 s0ᵀ, Δb0 = Δs0, ΔW1x = Δs1 xᵀ, b1 untouched (VFdisc).
  func testDriveAndStepRuleMatchTheSpecFormulas() throws {
    let harness = try harness("angle: 90", layers: [2, 3, 2], batch: 1)
    let p = harness.session.parameters
    let (w01, b0, w1x, b1, b10) = (p.values(0), p.values(1), p.values(2), p.values(3), p.values(4))
    let s0 = harness.states.values(0)
    let s1 = harness.states.values(1)
    let x = Fixture.input(harness)
    func sigm(_ a: Double) -> Double { 1 / (1 + exp(-4 * (a - 0.5))) }
    let out = try Fixture.drive(harness)
    for i in 0..<2 {
      let expected = sigm((0..<3).map { w01[i * 3 + $0] * s1[$0] }.reduce(0, +) + b0[i])
      XCTAssertEqual(out.values(0)[i], expected, accuracy: 1e-12)
    }
    for j in 0..<3 {
      let input = (0..<2).map { w1x[j * 2 + $0] * x[$0] }.reduce(0, +) + b1[j]
      let feedback = (0..<2).map { b10[j * 2 + $0] * s0[$0] }.reduce(0, +)
      XCTAssertEqual(out.values(1)[j], sigm(input + feedback), accuracy: 1e-12)
    }

    let after = try Fixture.filled(harness, harness.stateShapes, 0)
    for layer in 0..<after.count {
      for index in 0..<after.elementCount(layer) { harness.element(after, layer, index)?.pointee = harness.rng.uniform() }
    }
    let grads = try Fixture.filled(harness, harness.parameterShapes, 0)
    let coeff = -0.3
    try harness.call("step_update") { vtable, instance, eval, err in
      vtable.step_update(instance, eval, after.views, coeff, grads.views, err)
    }
    let d0 = zip(after.values(0), s0).map { $0 - $1 }
    let d1 = zip(after.values(1), s1).map { $0 - $1 }
    for i in 0..<2 {
      for j in 0..<3 { XCTAssertEqual(grads.values(0)[i * 3 + j], coeff * d0[i] * s1[j], accuracy: 1e-12, "W01") }
      XCTAssertEqual(grads.values(1)[i], coeff * d0[i], accuracy: 1e-12, "b0")
    }
    for j in 0..<3 {
      for k in 0..<2 {
        XCTAssertEqual(grads.values(2)[j * 2 + k], coeff * d1[j] * x[k], accuracy: 1e-12, "W1x")
        XCTAssertEqual(grads.values(4)[j * 2 + k], coeff * d1[j] * s0[k], accuracy: 1e-12, "B10")
      }
    }
    XCTAssertEqual(grads.values(3), [0, 0, 0], "VFdisc leaves the top bias alone")
  }

  /// B = Wᵀ with signs flipped at probability ½(1 − cos Ψ₀): Ψ near Ψ₀ on a large matrix.
  func testInitialAngleFollowsTheSignFlipProbability() throws {
    for (angle, tolerance) in [(0.0, 1e-9), (90.0, 3.0), (180.0, 1e-9)] {
      let harness = try harness("angle: \(angle)", layers: [40, 60, 5])
      let w = harness.session.parameters.values(0)
      let b = harness.session.parameters.values(4)
      var (dot, ww, bb) = (0.0, 0.0, 0.0)
      for r in 0..<40 {
        for c in 0..<60 {
          dot += w[r * 60 + c] * b[c * 40 + r]
          ww += w[r * 60 + c] * w[r * 60 + c]
          bb += b[c * 40 + r] * b[c * 40 + r]
        }
      }
      let realised = acos(max(-1, min(1, dot / (ww * bb).squareRoot()))) * 180 / .pi
      XCTAssertEqual(realised, angle, accuracy: tolerance, "Ψ₀ = \(angle)°")
      // acos is ill-conditioned at 0° and 180°: a 1e-15 change in the cosine moves it by 1e-5°.
      XCTAssertEqual(try psi(harness, pair: 0), realised, accuracy: 1e-5, "the psi extension function")
    }
    let harness = try harness("", layers: [4, 6, 5])
    XCTAssertTrue(try psi(harness, pair: 1).isNaN, "pair 1 does not exist in a one-hidden-layer net")
  }

  /// The model's `psi` extension function, called as the host would (p = instance, P = θ).
  private func psi(_ harness: ModelHarness, pair: Int32) throws -> Double {
    typealias Psi = @convention(c) (OpaquePointer?, OpaquePointer?, Int32, OpaquePointer?) -> Double
    let function = try XCTUnwrap(harness.session.model.plugin.functions.first { $0.name == "psi" })
    XCTAssertEqual(function.signature.description, "d(pPie)")
    let sink = ErrorSink()
    return unsafeBitCast(function.address, to: Psi.self)(
      harness.session.model.instance, harness.session.parameters.pointer, pair, sink.pointer)
  }
}
