@preconcurrency import CEqprop
import EqpropKernel
import XCTest

final class ElementwiseTests: XCTestCase {
  func testAxpby() {
    runAxpby(Float.self)
    runAxpby(Double.self)
  }

  private func runAxpby<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 5)
    // 70 001 elements are split across the kernel's threads (an optimizer step on θ).
    for n in oddSizes + [70_001] {
      let x: [T] = random.array(n)
      for (alpha, beta) in [(0.75, -1.25), (1.0, 1.0), (-2.0, 0.0)] {
        var y: [T] = random.array(n)
        var want = y
        ReferenceKernel.axpby(alpha: alpha, x: x, beta: beta, y: &want)
        expectOK(kernel.axpby?(T.dtype, Int64(n), alpha, x, beta, &y, nil))
        assertClose(y, want, tolerance: T.tolerance, floor: 1, "axpby \(T.self) n=\(n)")
      }
      // beta = 0 must not read y: NaN there must not leak.
      var y = [T](repeating: .nan, count: n)
      expectOK(kernel.axpby?(T.dtype, Int64(n), 2, x, 0, &y, nil))
      XCTAssertEqual(y, x.map { 2 * $0 }, "axpby beta=0 \(T.self) n=\(n)")
      // y and x the same array.
      var z = x
      expectOK(kernel.axpby?(T.dtype, Int64(n), 0.5, z, 0.25, &z, nil))
      assertClose(z, x.map { T(0.75 * Double($0)) }, tolerance: T.tolerance, floor: 1, "aliased")
    }
  }

  func testMulWithAliasing() {
    runMul(Float.self)
    runMul(Double.self)
  }

  private func runMul<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 6)
    for n in oddSizes {
      let x: [T] = random.array(n)
      let y: [T] = random.array(n)
      var z = [T](repeating: .nan, count: n)
      expectOK(kernel.mul?(T.dtype, Int64(n), x, y, &z, nil))
      XCTAssertEqual(z, ReferenceKernel.mul(x, y), "mul \(T.self) n=\(n)")
      var square = x
      expectOK(kernel.mul?(T.dtype, Int64(n), square, square, &square, nil))
      XCTAssertEqual(square, ReferenceKernel.mul(x, x), "mul in place \(T.self) n=\(n)")
    }
  }

  func testAddRowVector() {
    runAddRowVector(Float.self)
    runAddRowVector(Double.self)
  }

  private func runAddRowVector<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 7)
    for (rows, cols) in [(0, 5), (5, 0), (1, 1), (3, 7), (7, 33), (20, 10)] {
      let v: [T] = random.array(cols)
      var y: [T] = random.array(rows * cols)
      var want = y
      ReferenceKernel.addRowVector(rows: rows, cols: cols, alpha: -1.5, v: v, y: &want)
      expectOK(
        kernel.add_row_vector?(T.dtype, Int64(rows), Int64(cols), -1.5, v, &y, nil))
      assertClose(y, want, tolerance: T.tolerance, floor: 1, "add_row_vector \(rows)×\(cols)")
    }
  }

  func testClipKeepsNaN() {
    runClip(Float.self)
    runClip(Double.self)
  }

  private func runClip<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 8)
    for n in oddSizes {
      var x: [T] = random.array(n, -2, 2)
      if n > 1 { x[n - 1] = .nan }
      let want = ReferenceKernel.clip(low: -0.5, high: 1, x: x)
      expectOK(kernel.clip?(T.dtype, Int64(n), -0.5, 1, &x, nil))
      assertClose(x, want, tolerance: 0, "clip \(T.self) n=\(n)")
      if n > 1 { XCTAssert(x[n - 1].isNaN, "clip hid a NaN") }
    }
  }

  func testInteriorMaskIsOpenIntervalAndKeepsNaN() {
    runInteriorMask(Float.self)
    runInteriorMask(Double.self)
  }

  private func runInteriorMask<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 9)
    for n in oddSizes {
      var x: [T] = random.array(n, -0.5, 1.5)
      if n > 2 {
        x[0] = 0  // exactly on a bound: masked
        x[1] = 1
      }
      if n > 3 { x[n - 1] = .nan }
      let want = ReferenceKernel.interiorMask(low: 0, high: 1, x: x)
      var y = [T](repeating: 7, count: n)
      expectOK(kernel.interior_mask?(T.dtype, Int64(n), 0, 1, x, &y, nil))
      assertClose(y, want, tolerance: 0, "interior_mask \(T.self) n=\(n)")
      if n > 2 { XCTAssertEqual(Array(y.prefix(2)), [0, 0], "bounds are not interior") }
      if n > 3 { XCTAssert(y[n - 1].isNaN, "interior_mask hid a NaN") }
    }
  }

  func testFill() {
    var f = [Float](repeating: .nan, count: 13)
    var d = [Double](repeating: .nan, count: 13)
    expectOK(kernel.fill?(UInt32(EQP_DTYPE_F32), 13, 0.25, &f, nil))
    expectOK(kernel.fill?(UInt32(EQP_DTYPE_F64), 12, -3, &d, nil))
    XCTAssertEqual(f, Array(repeating: 0.25, count: 13))
    XCTAssertEqual(Array(d.prefix(12)), Array(repeating: -3, count: 12))
    XCTAssert(d[12].isNaN, "fill wrote past n")
  }

  func testConvertBothWaysAndCopy() {
    var random = TestRandom(seed: 9)
    let f32 = UInt32(EQP_DTYPE_F32)
    let f64 = UInt32(EQP_DTYPE_F64)
    for n in oddSizes {
      let d: [Double] = random.array(n, -1e3, 1e3) + (n > 0 ? [.infinity] : [])
      let count = Int64(d.count)
      var f = [Float](repeating: .nan, count: d.count)
      expectOK(kernel.convert?(f64, f32, count, d, &f, nil))
      XCTAssertEqual(f, d.map { Float($0) }, "f64 → f32 n=\(n)")
      var back = [Double](repeating: .nan, count: d.count)
      expectOK(kernel.convert?(f32, f64, count, f, &back, nil))
      XCTAssertEqual(back, f.map { Double($0) }, "f32 → f64 n=\(n)")
      var copy = [Double](repeating: .nan, count: d.count)
      expectOK(kernel.convert?(f64, f64, count, d, &copy, nil))
      XCTAssertEqual(copy, d, "f64 copy n=\(n)")
      var fcopy = [Float](repeating: .nan, count: d.count)
      expectOK(kernel.convert?(f32, f32, count, f, &fcopy, nil))
      XCTAssertEqual(fcopy, f, "f32 copy n=\(n)")
    }
  }
}
