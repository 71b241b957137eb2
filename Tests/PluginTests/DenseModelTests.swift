@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The `dense` model's derivatives against central finite differences, in float64.
/// Central differences with h = 1e-6 have an error of order h² ≈ 1e-12 times the third
/// derivative, so a relative tolerance of 1e-6 leaves three orders of margin and still catches
/// a wrong index or a missing term (relative errors of order 1).
final class DenseModelTests: XCTestCase {
  static let config = """
    dtype: f64
    model: {id: dense, layers: [3, 5, 4, 6], activation: sigm}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.1, 0.1, 0.1]}
    """
  let h = 1e-6

  func assertClose(_ a: Double, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    let scale = max(abs(a), abs(b), 1e-3)
    XCTAssertLessThan(abs(a - b) / scale, 1e-6, "\(what): analytic \(a), finite difference \(b)", file: file, line: line)
  }

  func testParamGradIsTheGradientOfPhi() throws {
    let harness = try ModelHarness(yaml: Self.config, batch: 3)
    let grads = try harness.makeSet(harness.parameterShapes)
    try harness.call("param_grad") { vtable, instance, eval, err in vtable.param_grad(instance, eval, 1, grads.views, err) }
    let parameters = harness.session.parameters
    for tensor in 0..<parameters.count {
      for index in ModelHarness.sampleIndices(parameters.elementCount(tensor)) {
        guard let theta = harness.element(parameters, tensor, index) else { return XCTFail("no data") }
        let saved = theta.pointee
        theta.pointee = saved + h
        let plus = try harness.phiSum()
        theta.pointee = saved - h
        let minus = try harness.phiSum()
        theta.pointee = saved
        assertClose(grads.values(tensor)[index], (plus - minus) / (2 * h), "∂Φ/∂\(harness.session.model.parameters[tensor].name)[\(index)]")
      }
    }
  }

  func testVjpMatchesFiniteDifferencesOfTheDrive() throws {
    let harness = try ModelHarness(yaml: Self.config, batch: 2)
    let cotangent = try harness.makeSet(harness.stateShapes)
    for layer in 0..<cotangent.count {
      for index in 0..<cotangent.elementCount(layer) { harness.element(cotangent, layer, index)?.pointee = harness.rng.normal() }
    }
    let cotStates = try harness.makeSet(harness.stateShapes)
    let cotParams = try harness.makeSet(harness.parameterShapes)
    try harness.call("vjp") { vtable, instance, eval, err in
      vtable.vjp(instance, eval, cotangent.views, cotStates.views, cotParams.views, err)
    }
    for layer in 0..<harness.states.count {
      for index in ModelHarness.sampleIndices(harness.states.elementCount(layer)) {
        guard let s = harness.element(harness.states, layer, index) else { return XCTFail("no data") }
        let saved = s.pointee
        s.pointee = saved + h
        let plus = try harness.drivePairing(cotangent)
        s.pointee = saved - h
        let minus = try harness.drivePairing(cotangent)
        s.pointee = saved
        assertClose(cotStates.values(layer)[index], (plus - minus) / (2 * h), "∂⟨g,F⟩/∂s\(layer)[\(index)]")
      }
    }
    let parameters = harness.session.parameters
    for tensor in 0..<parameters.count {
      for index in ModelHarness.sampleIndices(parameters.elementCount(tensor)) {
        guard let theta = harness.element(parameters, tensor, index) else { return XCTFail("no data") }
        let saved = theta.pointee
        theta.pointee = saved + h
        try harness.reprepare()
        let plus = try harness.drivePairing(cotangent)
        theta.pointee = saved - h
        try harness.reprepare()
        let minus = try harness.drivePairing(cotangent)
        theta.pointee = saved
        try harness.reprepare()
        assertClose(cotParams.values(tensor)[index], (plus - minus) / (2 * h), "∂⟨g,F⟩/∂\(harness.session.model.parameters[tensor].name)[\(index)]")
      }
    }
  }

  func testCostGradIsTheGradientOfTheCost() throws {
    let harness = try ModelHarness(yaml: Self.config, batch: 2)
    let gradStates = try harness.makeSet(harness.stateShapes)
    try harness.call("cost_grad") { vtable, instance, eval, err in
      vtable.cost_grad(instance, eval, 1, gradStates.views, nil, err)
    }
    for layer in 0..<harness.states.count {
      for index in 0..<harness.states.elementCount(layer) {
        guard let s = harness.element(harness.states, layer, index) else { return XCTFail("no data") }
        let saved = s.pointee
        s.pointee = saved + h
        let plus = try harness.costSum()
        s.pointee = saved - h
        let minus = try harness.costSum()
        s.pointee = saved
        assertClose(gradStates.values(layer)[index], (plus - minus) / (2 * h), "∂ℓ/∂s\(layer)[\(index)]")
      }
    }
  }

  /// The cross-entropy readout: ∂ℓ/∂s and ∂ℓ/∂θ (Wout, bout; zero elsewhere) against finite
  /// differences, and predictions that are the readout's logits.
  func testCrossEntropyReadoutGradientsMatchFiniteDifferences() throws {
    let harness = try ModelHarness(
      yaml: Self.config.replacingOccurrences(of: "activation: sigm}", with: "activation: sigm, cost: cross_entropy}"),
      batch: 2)
    XCTAssertEqual(harness.session.model.classCount, 3)
    XCTAssertEqual(harness.session.model.layers.map(\.perExample), [5, 4])
    XCTAssertEqual(harness.session.model.parameters.map(\.name), ["W01", "b0", "W1x", "b1", "Wout", "bout"])
    XCTAssertEqual(harness.session.model.parameters.map(\.learningRateGroup), [1, 1, 2, 2, 0, 0])
    let gradStates = try harness.makeSet(harness.stateShapes)
    let gradParams = try harness.makeSet(harness.parameterShapes)
    try harness.call("cost_grad") { vtable, instance, eval, err in
      vtable.cost_grad(instance, eval, 1, gradStates.views, gradParams.views, err)
    }
    func difference(_ element: UnsafeMutablePointer<Double>) throws -> Double {
      let saved = element.pointee
      element.pointee = saved + h
      let plus = try harness.costSum()
      element.pointee = saved - h
      let minus = try harness.costSum()
      element.pointee = saved
      return (plus - minus) / (2 * h)
    }
    for layer in 0..<harness.states.count {
      for index in 0..<harness.states.elementCount(layer) {
        guard let s = harness.element(harness.states, layer, index) else { return XCTFail("no data") }
        assertClose(gradStates.values(layer)[index], try difference(s), "∂ℓ/∂s\(layer)[\(index)]")
      }
    }
    let parameters = harness.session.parameters
    for tensor in 0..<parameters.count {
      for index in 0..<parameters.elementCount(tensor) {
        guard let theta = harness.element(parameters, tensor, index) else { return XCTFail("no data") }
        let name = harness.session.model.parameters[tensor].name
        assertClose(gradParams.values(tensor)[index], try difference(theta), "∂ℓ/∂\(name)[\(index)]")
      }
    }
  }

  func testDriveMatchesTheSpecFormulaOnATinyNetwork() throws {
    // F_0 = σ(W01 s1 + b0), F_1 = σ(W1x x + b1 + W01ᵀ s0), written out by hand.
    let harness = try ModelHarness(
      yaml: """
        dtype: f64
        model: {id: dense, layers: [2, 3, 2]}
        dynamics: {id: discrete, free_steps: 1}
        learner: {id: ep, nudged_steps: 1, beta: 0.5}
        optimizer: {lr: [0.1, 0.1]}
        """, batch: 1)
    let p = harness.session.parameters
    let (w01, b0, w1x, b1) = (p.values(0), p.values(1), p.values(2), p.values(3))
    let s0 = harness.states.values(0)
    let s1 = harness.states.values(1)
    let x = harness.session.withEval(nil) { eval in
      (0..<2).map { eval.pointee.input?.pointee.data?.assumingMemoryBound(to: Double.self)[$0] ?? .nan }
    }
    func sigm(_ a: Double) -> Double { 1 / (1 + exp(-4 * (a - 0.5))) }
    let out = try harness.makeSet(harness.stateShapes)
    try harness.call("drive") { vtable, instance, eval, err in vtable.drive(instance, eval, out.views, err) }
    for i in 0..<2 {
      let expected = sigm((0..<3).map { w01[i * 3 + $0] * s1[$0] }.reduce(0, +) + b0[i])
      XCTAssertEqual(out.values(0)[i], expected, accuracy: 1e-12)
    }
    for j in 0..<3 {
      let input = (0..<2).map { w1x[j * 2 + $0] * x[$0] }.reduce(0, +) + b1[j]
      let feedback = (0..<2).map { w01[$0 * 3 + j] * s0[$0] }.reduce(0, +)
      XCTAssertEqual(out.values(1)[j], sigm(input + feedback), accuracy: 1e-12)
    }
  }
}
