@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// Configs and finite-difference helpers shared by the `hopfield` tests.
///
/// Central differences with h = 1e-6 have a truncation error of order h² ≈ 1e-12 and a
/// rounding error of order 1e-16·|f|/h ≈ 1e-9 for the sums checked here, so a relative
/// tolerance of 1e-6 (on a scale of at least 1e-2) leaves a wide margin and still catches a
/// wrong index, factor or missing term (relative errors of order 1e-2 to 1).
enum HopfieldFixture {
  static let h = 1e-6

  /// A whole float64 config for a `hopfield` model; `model` is the rest of its section.
  static func config(_ model: String, layers: [Int] = [3, 5, 4, 6]) -> String {
    let groups = Array(repeating: "0.1", count: layers.count - 1).joined(separator: ", ")
    return """
      dtype: f64
      model: {id: hopfield, layers: \(layers)\(model.isEmpty ? "" : ", " + model)}
      dynamics: {id: discrete, free_steps: 5, epsilon: 0.5}
      learner: {id: ep, nudged_steps: 2, beta: 0.5}
      optimizer: {lr: [\(groups)]}
      """
  }

  /// (f(v + h) − f(v − h)) / 2h for the element at `element`, restored afterwards;
  /// `refresh` runs after every change (re-preparing the model after θ moved).
  static func centralDifference(
    _ element: UnsafeMutablePointer<Double>, refresh: () throws -> Void = {},
    _ f: () throws -> Double
  ) throws -> Double {
    let saved = element.pointee
    element.pointee = saved + h
    try refresh()
    let plus = try f()
    element.pointee = saved - h
    try refresh()
    let minus = try f()
    element.pointee = saved
    try refresh()
    return (plus - minus) / (2 * h)
  }

  /// Fails unless a and b agree to a relative 1e-6 (see the type's comment).
  static func assertClose(
    _ a: Double, _ b: Double, _ what: @autoclosure () -> String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    let scale = max(abs(a), abs(b), 1e-2)
    XCTAssertLessThan(
      abs(a - b) / scale, 1e-6, "\(what()): analytic \(a), finite difference \(b)", file: file,
      line: line)
  }

  /// A set shaped like `shapes` whose every element is `value`.
  static func filled(_ harness: ModelHarness, _ shapes: [[Int64]], _ value: Double) throws
    -> TensorSet
  {
    let set = try harness.makeSet(shapes)
    for tensor in 0..<set.count {
      for index in 0..<set.elementCount(tensor) {
        harness.element(set, tensor, index)?.pointee = value
      }
    }
    return set
  }

  /// A cotangent with standard normal entries, one tensor per layer.
  static func randomCotangent(_ harness: ModelHarness) throws -> TensorSet {
    let set = try harness.makeSet(harness.stateShapes)
    for layer in 0..<set.count {
      for index in 0..<set.elementCount(layer) {
        harness.element(set, layer, index)?.pointee = harness.rng.normal()
      }
    }
    return set
  }

  /// F(s) at the harness's states.
  static func drive(_ harness: ModelHarness) throws -> TensorSet {
    let out = try harness.makeSet(harness.stateShapes)
    try harness.call("drive") { vtable, instance, eval, err in
      vtable.drive(instance, eval, out.views, err)
    }
    return out
  }

  /// The input x of the harness's batch, row-major.
  static func input(_ harness: ModelHarness) -> [Double] {
    let count = harness.batch * Int(harness.session.model.inputShape.reduce(1, *))
    return harness.session.withEval(nil) { eval in
      let data = eval.pointee.input?.pointee.data?.assumingMemoryBound(to: Double.self)
      return (0..<count).map { data?[$0] ?? .nan }
    }
  }

  /// The one-hot target y of the harness's batch, row-major.
  static func target(_ harness: ModelHarness) -> [Double] {
    let count = harness.batch * harness.session.model.classCount
    return harness.session.withEval(nil) { eval in
      let data = eval.pointee.target?.pointee.data?.assumingMemoryBound(to: Double.self)
      return (0..<count).map { data?[$0] ?? .nan }
    }
  }
}
