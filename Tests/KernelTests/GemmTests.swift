@preconcurrency import CEqprop
import EqpropKernel
import XCTest

final class GemmTests: XCTestCase {
  /// Padding between rows, for leading dimensions larger than the row: must stay untouched.
  static let sentinel = -7.25

  func testAllTransposesOddSizesAndPaddedRows() {
    runAllShapes(Float.self)
    runAllShapes(Double.self)
  }

  func testProductsSplitAcrossThreadsMatchTheReference() {
    // Large enough to be split (GemmTests' other shapes are not): columns, rows of a
    // transposed A, rows of a narrow C, odd sizes, padded rows, on 1, 2 and 3 threads.
    let saved = WorkerPool.threads
    defer { WorkerPool.setThreads(saved) }
    let shapes = [(20, 512, 100), (512, 96, 20), (130, 10, 900), (37, 301, 70)]
    for threads in [1, 2, 3] {
      WorkerPool.setThreads(threads)
      var random = TestRandom(seed: 2)
      for (m, n, k) in shapes {
        for (transA, transB) in [(false, true), (true, false), (false, false), (true, true)] {
          runGemm(
            Float.self, &random, transA: transA, transB: transB, m: m, n: n, k: k, pad: 3,
            alpha: 0.75, beta: -1.5)
          runGemm(
            Double.self, &random, transA: transA, transB: transB, m: m, n: n, k: k, pad: 0,
            alpha: 1, beta: 0)
        }
      }
    }
  }

  private func runAllShapes<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 1)
    let shapes = [(0, 3, 2), (3, 0, 2), (2, 3, 0), (1, 1, 1), (7, 9, 33), (33, 7, 9), (5, 17, 8)]
    for (m, n, k) in shapes {
      for transA in [false, true] {
        for transB in [false, true] {
          for pad in [0, 3] {
            runGemm(
              T.self, &random, transA: transA, transB: transB, m: m, n: n, k: k, pad: pad,
              alpha: 0.75, beta: -1.5)
          }
        }
      }
    }
  }

  /// One gemm against the reference, with lda/ldb/ldc = row length + pad.
  private func runGemm<T: TestFloat>(
    _: T.Type, _ random: inout TestRandom, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    pad: Int, alpha: Double, beta: Double, cFill: Double? = nil, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    let (aRows, aCols) = transA ? (k, m) : (m, k)
    let (bRows, bCols) = transB ? (n, k) : (k, n)
    let lda = aCols + pad
    let ldb = bCols + pad
    let ldc = n + pad
    let a: [T] = padded(random.array(aRows * aCols), rows: aRows, cols: aCols, ld: lda)
    let b: [T] = padded(random.array(bRows * bCols), rows: bRows, cols: bCols, ld: ldb)
    let cValues: [T] = cFill.map { Array(repeating: T($0), count: m * n) } ?? random.array(m * n)
    var c = padded(cValues, rows: m, cols: n, ld: ldc)
    var want = c
    ReferenceKernel.gemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
      ldb: ldb, beta: beta, c: &want, ldc: ldc)
    // Error bound: the same product over absolute values (no cancellation to hide errors).
    var scale = c.map { abs($0) }
    ReferenceKernel.gemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: abs(alpha), a: a.map { abs($0) },
      lda: lda, b: b.map { abs($0) }, ldb: ldb, beta: beta == 0 ? 0 : abs(beta), c: &scale,
      ldc: ldc)
    let status = kernel.gemm?(
      T.dtype, transA ? 1 : 0, transB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha, a,
      Int64(lda), b, Int64(ldb), beta, &c, Int64(ldc), nil)
    expectOK(status, file: file, line: line)
    assertClose(
      c, want, tolerance: T.tolerance, scale: scale.map { Double($0) + 1e-300 },
      "gemm \(T.self) tA=\(transA) tB=\(transB) m=\(m) n=\(n) k=\(k) pad=\(pad)", file: file,
      line: line)
  }

  /// The values laid out in rows of length ld, the gaps filled with the sentinel.
  private func padded<T: BinaryFloatingPoint>(_ values: [T], rows: Int, cols: Int, ld: Int)
    -> [T]
  {
    var out = [T](repeating: T(Self.sentinel), count: max(rows * ld, 1))
    for r in 0..<rows {
      for j in 0..<cols { out[r * ld + j] = values[r * cols + j] }
    }
    return out
  }

  func testBetaZeroIgnoresNaNInC() {
    var random = TestRandom(seed: 2)
    for transA in [false, true] {
      runGemm(
        Float.self, &random, transA: transA, transB: false, m: 7, n: 9, k: 5, pad: 1,
        alpha: 1.25, beta: 0, cFill: .nan)
      runGemm(
        Double.self, &random, transA: transA, transB: true, m: 7, n: 9, k: 5, pad: 0,
        alpha: 1.25, beta: 0, cFill: .nan)
    }
    // Large enough to leave any small-matrix path of the BLAS.
    runGemm(
      Float.self, &random, transA: false, transB: false, m: 64, n: 80, k: 48, pad: 0, alpha: 1,
      beta: 0, cFill: .nan)
  }

  func testKZeroScalesCByBeta() {
    var c: [Double] = [1, 2, 3, 4, 5, 6]
    let status = kernel.gemm?(
      UInt32(EQP_DTYPE_F64), 0, 0, 2, 3, 0, 2, nil, 0, nil, 3, 0.5, &c, 3, nil)
    expectOK(status)
    XCTAssertEqual(c, [0.5, 1, 1.5, 2, 2.5, 3])
    var cNaN: [Float] = [.nan, .nan]
    expectOK(
      kernel.gemm?(
        UInt32(EQP_DTYPE_F32), 0, 0, 1, 2, 0, 1, nil, 0, nil, 2, 0, &cNaN, 2,
        nil))
    XCTAssertEqual(cNaN, [0, 0])
  }

  func testOuterAccAddsTheBatchedOuterProduct() {
    runOuterAcc(Float.self)
    runOuterAcc(Double.self)
  }

  private func runOuterAcc<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 3)
    for (batch, m, n) in [(0, 3, 4), (1, 1, 1), (5, 7, 9), (33, 8, 3), (20, 1, 17)] {
      let a: [T] = random.array(batch * m)
      let b: [T] = random.array(batch * n)
      var c: [T] = random.array(m * n)
      var want = c
      ReferenceKernel.outerAcc(batch: batch, m: m, n: n, alpha: -0.5, a: a, b: b, c: &want)
      var scale = c.map { abs($0) }
      ReferenceKernel.outerAcc(
        batch: batch, m: m, n: n, alpha: 0.5, a: a.map { abs($0) }, b: b.map { abs($0) },
        c: &scale)
      expectOK(
        kernel.outer_acc?(
          T.dtype, Int64(batch), Int64(m), Int64(n), -0.5, a, b, &c,
          nil))
      assertClose(
        c, want, tolerance: T.tolerance, scale: scale.map { Double($0) + 1e-300 },
        "outer_acc \(T.self) batch=\(batch) m=\(m) n=\(n)")
    }
  }
}
