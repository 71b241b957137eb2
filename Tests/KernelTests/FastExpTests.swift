import Foundation
import XCTest

@testable import EqpropKernel

/// The vector exp and tanh against the C library's (correctly rounded or within an ulp).
final class FastExpTests: XCTestCase {
  /// Distance in representable numbers between two finite values of one sign, or 0 if equal.
  private func ulps<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Int {
    if a == b { return 0 }
    let (small, large) = a < b ? (a, b) : (b, a)
    var steps = 0
    var x = small
    while x < large, steps < 1000 {
      x = x.nextUp
      steps += 1
    }
    return steps
  }

  /// Worst ulp error of f over inputs, evaluated one vector at a time; NaN must give NaN.
  private func worstError<T: BinaryFloatingPoint, V: SIMD>(
    _ inputs: [T], vector: (V) -> V, scalar: (T) -> T
  ) -> (ulps: Int, at: T) where V.Scalar == T {
    var worst = (ulps: 0, at: T.zero)
    for start in stride(from: 0, to: inputs.count, by: V.scalarCount) {
      var v = V()
      for lane in 0..<min(V.scalarCount, inputs.count - start) { v[lane] = inputs[start + lane] }
      let out = vector(v)
      for lane in 0..<min(V.scalarCount, inputs.count - start) {
        let x = inputs[start + lane]
        let want = scalar(x)
        let got = out[lane]
        if want.isNaN || got.isNaN {
          if !(want.isNaN && got.isNaN) { return (1000, x) }
          continue
        }
        let e = ulps(got, want)
        if e > worst.ulps { worst = (e, x) }
      }
    }
    return worst
  }

  private func sweep<T: BinaryFloatingPoint>(_ low: T, _ high: T, count: Int) -> [T] {
    (0...count).map { low + (high - low) * T($0) / T(count) }
  }

  func testFloatExpWithinTwoUlpOverTheWholeRange() {
    let specials: [Float] = [
      0, -0.0, 1, -1, 88, -88, 88.72, 88.7228, 88.73, 89, 100, -100, -87.3, -87.34, -88.5,
      -95, -103, -103.9, -104, -110, 1e-30, -1e-30, .leastNonzeroMagnitude, .infinity, -.infinity,
      .nan,
      .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    ]
    let inputs = specials + sweep(-110, 95, count: 200_003)
    let worst = worstError(inputs, vector: { Float.exp($0) }, scalar: { Foundation.exp($0) })
    XCTAssertLessThanOrEqual(worst.ulps, 2, "exp(Float) is \(worst.ulps) ulp off at \(worst.at)")
  }

  func testDoubleExpWithinTwoUlpOverTheWholeRange() {
    let specials: [Double] = [
      0, -0.0, 1, -1, 88, -88, 100, -100, 709.7, 709.78, 709.79, 710, 800, -708.3, -708.5,
      -720, -744, -745.1, -745.2, -746, -800, 1e-300, -1e-300, .leastNonzeroMagnitude, .infinity,
      -.infinity,
      .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    ]
    let inputs = specials + sweep(-750, 712, count: 200_003)
    let worst = worstError(inputs, vector: { Double.exp($0) }, scalar: { Foundation.exp($0) })
    XCTAssertLessThanOrEqual(worst.ulps, 2, "exp(Double) is \(worst.ulps) ulp off at \(worst.at)")
  }

  func testExpSaturatesAndPropagatesNaN() {
    let f = Float.exp(SIMD8<Float>(100, -110, .infinity, -.infinity, .nan, 0, 89, -104))
    XCTAssertEqual(f[0], .infinity)
    XCTAssertEqual(f[1], 0)
    XCTAssertEqual(f[2], .infinity)
    XCTAssertEqual(f[3], 0)
    XCTAssert(f[4].isNaN)
    XCTAssertEqual(f[5], 1)
    let d = Double.exp(SIMD4<Double>(1000, -1000, .nan, -745.0))
    XCTAssertEqual(d[0], .infinity)
    XCTAssertEqual(d[1], 0)
    XCTAssert(d[2].isNaN)
    XCTAssertGreaterThan(d[3], 0, "exp(-745) is subnormal, not flushed")
  }

  func testTanhWithinFewUlp() {
    let specials: [Float] = [0, 1e-30, -1e-30, 0.624, 0.625, -0.625, 0.626, 9, 10, 50, -50, .nan]
    let f = worstError(
      specials + sweep(-12, 12, count: 100_001), vector: { Float.tanh($0) },
      scalar: { Foundation.tanh($0) })
    XCTAssertLessThanOrEqual(f.ulps, 3, "tanh(Float) is \(f.ulps) ulp off at \(f.at)")
    let d = worstError(
      specials.map(Double.init) + sweep(-25, 25, count: 100_001),
      vector: { Double.tanh($0) }, scalar: { Foundation.tanh($0) })
    XCTAssertLessThanOrEqual(d.ulps, 3, "tanh(Double) is \(d.ulps) ulp off at \(d.at)")
  }
}
