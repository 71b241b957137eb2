@preconcurrency import CEqprop
import EqpropKernel
import XCTest

final class ReductionTests: XCTestCase {
  func testSumRows() {
    runSumRows(Float.self)
    runSumRows(Double.self)
  }

  private func runSumRows<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 10)
    for (rows, cols) in [(0, 5), (5, 0), (1, 1), (3, 7), (33, 9), (20, 17), (7, 64)] {
      let x: [T] = random.array(rows * cols)
      // Error bound: the sum of absolute values (float32 sums in float32).
      var scale = [Double](repeating: 0, count: cols)
      ReferenceKernel.sumRows(
        rows: rows, cols: cols, alpha: 1, x: x.map { Double(abs($0)) }, beta: 0, v: &scale)
      for beta in [0.0, 0.5] {
        var v: [T] = beta == 0 ? Array(repeating: .nan, count: cols) : random.array(cols)
        var want = v
        ReferenceKernel.sumRows(rows: rows, cols: cols, alpha: 2, x: x, beta: beta, v: &want)
        expectOK(
          kernel.sum_rows?(T.dtype, Int64(rows), Int64(cols), 2, x, beta, &v, nil))
        assertClose(
          v, want, tolerance: T.tolerance, scale: scale.map { 2 * $0 + 1 },
          "sum_rows \(T.self) \(rows)×\(cols) beta=\(beta)")
      }
    }
  }

  func testDotAccumulatesInDouble() {
    var random = TestRandom(seed: 11)
    for n in oddSizes {
      let x: [Float] = random.array(n)
      let y: [Float] = random.array(n)
      var out = Double.nan
      expectOK(kernel.dot?(UInt32(EQP_DTYPE_F32), Int64(n), x, y, &out, nil))
      XCTAssertEqual(out, ReferenceKernel.dot(x, y), accuracy: 1e-12, "dot f32 n=\(n)")
      let xd = x.map(Double.init)
      expectOK(kernel.dot?(UInt32(EQP_DTYPE_F64), Int64(n), xd, xd, &out, nil))
      XCTAssertEqual(out, ReferenceKernel.dot(xd, xd), accuracy: 1e-12, "dot f64 n=\(n)")
    }
    // 2^24 + 1 + 1 + ... loses every 1 when summed in float32; in double the sum is exact.
    var big = [Float](repeating: 1, count: 1001)
    big[0] = 16_777_216
    var out = 0.0
    expectOK(kernel.dot?(UInt32(EQP_DTYPE_F32), 1001, big, big, &out, nil))
    XCTAssertEqual(out, 16_777_216.0 * 16_777_216.0 + 1000)
  }

  func testMaxAbsDiff() {
    runMaxAbsDiff(Float.self)
    runMaxAbsDiff(Double.self)
  }

  private func runMaxAbsDiff<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 12)
    for n in oddSizes {
      let x: [T] = random.array(n)
      var y: [T] = random.array(n)
      var out = -1.0
      expectOK(kernel.max_abs_diff?(T.dtype, Int64(n), x, y, &out, nil))
      XCTAssertEqual(
        out, ReferenceKernel.maxAbsDiff(x, y), accuracy: T.tolerance,
        "max_abs_diff \(T.self) n=\(n)")
      if n == 0 { XCTAssertEqual(out, 0) }
      // The largest difference in the tail lanes, then a NaN anywhere.
      if n > 0 {
        y[n - 1] = x[n - 1] - 5
        expectOK(kernel.max_abs_diff?(T.dtype, Int64(n), x, y, &out, nil))
        XCTAssertEqual(out, 5, accuracy: 1e-5, "max_abs_diff tail \(T.self) n=\(n)")
        y[n / 2] = .nan
        expectOK(kernel.max_abs_diff?(T.dtype, Int64(n), x, y, &out, nil))
        XCTAssert(out.isNaN, "max_abs_diff hid a NaN at \(n / 2) of \(n)")
      }
    }
  }

  func testArgmaxFirstMaximumAndFirstNaN() {
    runArgmax(Float.self)
    runArgmax(Double.self)
  }

  private func runArgmax<T: TestFloat>(_: T.Type) {
    let x: [T] = [
      1, 3, 3, 2,  // tie: first maximum
      -.infinity, -.infinity, -.infinity, -.infinity,
      0, .nan, 5, .nan,  // NaN: index of the first NaN
      -1, -2, -3, 7,
    ]
    var out = [Int64](repeating: -1, count: 4)
    expectOK(kernel.argmax_rows?(T.dtype, 4, 4, x, &out, nil))
    XCTAssertEqual(out, [1, 0, 1, 3])
    XCTAssertEqual(out, ReferenceKernel.argmaxRows(rows: 4, cols: 4, x: x))
    var random = TestRandom(seed: 13)
    let wide: [T] = random.array(7 * 33)
    var wideOut = [Int64](repeating: -1, count: 7)
    expectOK(kernel.argmax_rows?(T.dtype, 7, 33, wide, &wideOut, nil))
    XCTAssertEqual(wideOut, ReferenceKernel.argmaxRows(rows: 7, cols: 33, x: wide))
  }

  func testCountNonfinite() {
    runCountNonfinite(Float.self)
    runCountNonfinite(Double.self)
  }

  private func runCountNonfinite<T: TestFloat>(_: T.Type) {
    for n in oddSizes {
      var x = [T](repeating: 1, count: n)
      for i in stride(from: 0, to: n, by: 3) { x[i] = [.nan, .infinity, -.infinity][i % 9 / 3] }
      if n > 1 { x[n - 1] = .greatestFiniteMagnitude }
      var out: Int64 = -1
      expectOK(kernel.count_nonfinite?(T.dtype, Int64(n), x, &out, nil))
      XCTAssertEqual(out, ReferenceKernel.countNonfinite(x), "count_nonfinite \(T.self) n=\(n)")
    }
  }
}

extension ReductionTests {
  func testCountNonfiniteFindsOneBadValueAnywhereInALargeArray() {
    // θ-sized arrays take the split probe; one NaN or ±inf at any position, including the
    // vector tail and either thread's range, must be found and counted exactly.
    let n = (1 << 17) + 5
    for bad in [Float.nan, .infinity, -.infinity] {
      for position in [0, n / 2 - 1, n / 2, n - 1, 3 * n / 4] {
        var x = [Float](repeating: 0.25, count: n)
        x[position] = bad
        var count: Int64 = -1
        expectOK(kernel.count_nonfinite?(Float.dtype, Int64(n), x, &count, nil))
        XCTAssertEqual(count, 1, "\(bad) at \(position)")
      }
    }
    let finite = [Double](repeating: -Double.greatestFiniteMagnitude, count: n)
    var count: Int64 = -1
    expectOK(kernel.count_nonfinite?(Double.dtype, Int64(n), finite, &count, nil))
    XCTAssertEqual(count, 0, "large finite values")
  }
}
