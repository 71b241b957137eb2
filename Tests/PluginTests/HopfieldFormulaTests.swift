@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The `hopfield` model against formulas written out by hand on tiny networks: the two
/// output rows, the input through ρ or raw, the costs, the clip ranges and the initialisers.
final class HopfieldFormulaTests: XCTestCase {
  typealias Fixture = HopfieldFixture

  static func sigm(_ a: Double) -> Double { 1 / (1 + exp(-4 * (a - 0.5))) }
  static func sigmSlope(_ a: Double) -> Double { 4 * sigm(a) * (1 - sigm(a)) }

  /// F on a [2, 3, 2] network (one hidden layer, N = 1), with sigm:
  /// F_0 = ρ'(s_0)⊙(W01ρ(s_1) + b0) (exact) or W01ρ(s_1) + b0 (reference);
  /// F_1 = ρ'(s_1)⊙(W1x ρ(x) + b1 + W01ᵀρ(s_0)) (ρ(x) → x when input_through_rho is false).
  func testDriveMatchesTheSpecFormulaOnATinyNetwork() throws {
    var outputs: [String: [Double]] = [:]
    for (row, throughRho) in [("exact", true), ("reference", true), ("exact", false)] {
      let model = "output_row: \(row), input_through_rho: \(throughRho)"
      let harness = try ModelHarness(yaml: Fixture.config(model, layers: [2, 3, 2]), batch: 1)
      let p = harness.session.parameters
      let (w01, b0, w1x, b1) = (p.values(0), p.values(1), p.values(2), p.values(3))
      let s0 = harness.states.values(0)
      let s1 = harness.states.values(1)
      let x = Fixture.input(harness).map { throughRho ? Self.sigm($0) : $0 }
      let out = try Fixture.drive(harness)
      for i in 0..<2 {
        let bracket = (0..<3).map { w01[i * 3 + $0] * Self.sigm(s1[$0]) }.reduce(0, +) + b0[i]
        let expected = row == "exact" ? Self.sigmSlope(s0[i]) * bracket : bracket
        XCTAssertEqual(out.values(0)[i], expected, accuracy: 1e-12, "\(model): F_0[\(i)]")
      }
      for j in 0..<3 {
        let input = (0..<2).map { w1x[j * 2 + $0] * x[$0] }.reduce(0, +) + b1[j]
        let feedback = (0..<2).map { w01[$0 * 3 + j] * Self.sigm(s0[$0]) }.reduce(0, +)
        XCTAssertEqual(
          out.values(1)[j], Self.sigmSlope(s1[j]) * (input + feedback), accuracy: 1e-12,
          "\(model): F_1[\(j)]")
      }
      outputs[model] = out.values(0)
    }
    // Same seed, same θ and states: the two output rows must differ by the factor ρ'(s_0).
    let exact = outputs["output_row: exact, input_through_rho: true"] ?? []
    let reference = outputs["output_row: reference, input_through_rho: true"] ?? []
    XCTAssertEqual(exact.count, 2)
    XCTAssertGreaterThan(
      zip(exact, reference).map { abs($0 - $1) }.max() ?? 0, 1e-3,
      "the exact and reference output rows agree")
  }

  /// ℓ = ½‖s_0 − y‖² (half_squared) or ‖s_0 − y‖² (squared) per example.
  func testCostFollowsTheOption() throws {
    for (cost, scale) in [("half_squared", 0.5), ("squared", 1.0)] {
      let harness = try ModelHarness(yaml: Fixture.config("cost: \(cost)"), batch: 2)
      let s0 = harness.states.values(0)
      let y = Fixture.target(harness)
      let expected = zip(s0, y).map { scale * ($0 - $1) * ($0 - $1) }.reduce(0, +)
      XCTAssertEqual(try harness.costSum(), expected, accuracy: 1e-12, cost)
    }
  }

  /// Every layer declares the clip range [0, 1] when clamp is on, and none when it is off.
  func testLayoutDeclaresTheClipRangeIffClamp() throws {
    for clamp in [true, false] {
      let harness = try ModelHarness(yaml: Fixture.config("clamp: \(clamp)"), batch: 1)
      let layout = harness.session.model.layout.pointee
      XCTAssertEqual(layout.layer_count, 3)
      for index in 0..<layout.layer_count {
        guard let spec = layout.layers?[index]?.pointee else { return XCTFail("no layer spec") }
        if clamp {
          XCTAssertEqual(spec.clip, UInt32(EQP_CLIP_RANGE), "s\(index)")
          XCTAssertEqual(spec.lower, 0, "s\(index)")
          XCTAssertEqual(spec.upper, 1, "s\(index)")
        } else {
          XCTAssertEqual(spec.clip, UInt32(EQP_CLIP_NONE), "s\(index)")
        }
      }
    }
  }

  /// pytorch: U(±1/√fan_in) for weights and biases; glorot: weights U(±√(6/(n_in+n_out))),
  /// biases 0. Each weight must also reach past half its bound (15+ draws: a miss has odds
  /// below 2⁻¹⁵), which tells the two bounds apart.
  func testInitialisersDrawWithinTheirBounds() throws {
    let layers = [3, 5, 4, 6]
    for rule in ["pytorch", "glorot"] {
      let harness = try ModelHarness(
        yaml: Fixture.config("init: \(rule)", layers: layers), batch: 1)
      let parameters = harness.session.parameters
      for layer in 0..<(layers.count - 1) {
        let (fanOut, fanIn) = (Double(layers[layer]), Double(layers[layer + 1]))
        let bound = rule == "pytorch" ? 1 / fanIn.squareRoot() : (6 / (fanIn + fanOut)).squareRoot()
        let weights = parameters.values(2 * layer).map(abs)
        let biases = parameters.values(2 * layer + 1).map(abs)
        XCTAssertLessThanOrEqual(weights.max() ?? .nan, bound, "\(rule) W of layer \(layer)")
        XCTAssertGreaterThan(weights.max() ?? 0, bound / 2, "\(rule) W of layer \(layer)")
        if rule == "pytorch" {
          XCTAssertLessThanOrEqual(biases.max() ?? .nan, bound, "\(rule) b\(layer)")
          XCTAssertGreaterThan(biases.max() ?? 0, 0, "\(rule) b\(layer)")
        } else {
          XCTAssertEqual(biases.max(), 0, "\(rule) b\(layer)")
        }
      }
    }
  }

  /// An unknown option value is refused with the accepted names.
  func testUnknownChoicesAreRefused() {
    XCTAssertThrowsError(try ModelHarness(yaml: Fixture.config("activation: relu"), batch: 1)) {
      XCTAssertTrue("\($0)".contains("sigm, hardsigm, sigmoid, tanh, identity"), "\($0)")
    }
    XCTAssertThrowsError(try ModelHarness(yaml: Fixture.config("output_row: code"), batch: 1)) {
      XCTAssertTrue("\($0)".contains("exact, reference"), "\($0)")
    }
  }
}
