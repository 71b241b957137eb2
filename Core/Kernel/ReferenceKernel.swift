#if canImport(Glibc)
  @preconcurrency import Glibc
#else
  import Foundation
#endif

/// Naive loops over arrays: the ground truth the tests hold `CPUKernel` to.
///
/// Same semantics as `CPUKernel` (row-major, leading dimensions as row strides, beta = 0 ignores
/// old contents), written for clarity: every sum is accumulated in Double and each result is
/// rounded to T once, and the activations call the C library's exp, tanh and cosh in Double.
/// Slow on purpose; sizes are not checked (an out-of-range index traps, as in any test code).
public enum ReferenceKernel {
  /// C[m×n] = alpha · op(A) · op(B) + beta · C (beta = 0: C's old contents are ignored).
  public static func gemm<T: BinaryFloatingPoint>(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: [T], lda: Int,
    b: [T], ldb: Int, beta: Double, c: inout [T], ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          let aip = transA ? a[p * lda + i] : a[i * lda + p]
          let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
          sum += Double(aip) * Double(bpj)
        }
        let old = beta == 0 ? 0 : beta * Double(c[i * ldc + j])
        c[i * ldc + j] = T(alpha * sum + old)
      }
    }
  }

  /// C[m×n] += alpha · Σ_b a[b, :]ᵀ b[b, :], with a batch×m and b batch×n.
  public static func outerAcc<T: BinaryFloatingPoint>(
    batch: Int, m: Int, n: Int, alpha: Double, a: [T], b: [T], c: inout [T]
  ) {
    gemm(
      transA: true, transB: false, m: m, n: n, k: batch, alpha: alpha, a: a, lda: m, b: b,
      ldb: n, beta: 1, c: &c, ldc: n)
  }

  /// act(x) elementwise.
  public static func activate<T: BinaryFloatingPoint>(_ act: Activation, _ x: [T]) -> [T] {
    x.map { T(value(act, Double($0))) }
  }

  /// act'(x) elementwise; NaN where x is NaN.
  public static func activateGrad<T: BinaryFloatingPoint>(_ act: Activation, _ x: [T]) -> [T] {
    x.map { T(derivative(act, Double($0))) }
  }

  /// act(a) in Double.
  public static func value(_ act: Activation, _ a: Double) -> Double {
    switch act {
    case .identity: a
    case .sigm: logistic(4 * (a - 0.5))
    case .hardsigm: a.isNaN ? a : min(max(a, 0), 1)
    case .sigmoid: logistic(a)
    case .tanh: tanh(a)
    }
  }

  /// act'(a) in Double; NaN where a is NaN.
  public static func derivative(_ act: Activation, _ a: Double) -> Double {
    if a.isNaN { return a }
    switch act {
    case .identity: return 1
    // s (1 − s) written as σ(z) σ(−z), which does not cancel once s rounds to 1.
    case .sigm: return 4 * logistic(4 * (a - 0.5)) * logistic(-4 * (a - 0.5))
    case .hardsigm: return a >= 0 && a <= 1 ? 1 : 0
    case .sigmoid: return logistic(a) * logistic(-a)
    case .tanh: return 1 / (cosh(a) * cosh(a))
    }
  }

  private static func logistic(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

  /// y = alpha · x + beta · y (beta = 0: y's old contents are ignored).
  public static func axpby<T: BinaryFloatingPoint>(
    alpha: Double, x: [T], beta: Double, y: inout [T]
  ) {
    for i in x.indices {
      y[i] = T(alpha * Double(x[i]) + (beta == 0 ? 0 : beta * Double(y[i])))
    }
  }

  /// x ⊙ y.
  public static func mul<T: BinaryFloatingPoint>(_ x: [T], _ y: [T]) -> [T] {
    zip(x, y).map { T(Double($0) * Double($1)) }
  }

  /// y[r, :] += alpha · v.
  public static func addRowVector<T: BinaryFloatingPoint>(
    rows: Int, cols: Int, alpha: Double, v: [T], y: inout [T]
  ) {
    for r in 0..<rows {
      for j in 0..<cols { y[r * cols + j] = T(Double(y[r * cols + j]) + alpha * Double(v[j])) }
    }
  }

  /// v = alpha · Σ_r x[r, :] + beta · v (beta = 0: v's old contents are ignored).
  public static func sumRows<T: BinaryFloatingPoint>(
    rows: Int, cols: Int, alpha: Double, x: [T], beta: Double, v: inout [T]
  ) {
    for j in 0..<cols {
      var sum = 0.0
      for r in 0..<rows { sum += Double(x[r * cols + j]) }
      v[j] = T(alpha * sum + (beta == 0 ? 0 : beta * Double(v[j])))
    }
  }

  /// clamp(x, low, high); NaN stays NaN.
  public static func interiorMask<T: BinaryFloatingPoint>(low: Double, high: Double, x: [T]) -> [T] {
    x.map { $0.isNaN ? $0 : (T(low) < $0 && $0 < T(high) ? 1 : 0) }
  }

  public static func clip<T: BinaryFloatingPoint>(low: Double, high: Double, x: [T]) -> [T] {
    x.map { $0.isNaN ? $0 : T(min(max(Double($0), low), high)) }
  }

  /// Σ x ⊙ y in Double.
  public static func dot<T: BinaryFloatingPoint>(_ x: [T], _ y: [T]) -> Double {
    zip(x, y).reduce(0) { $0 + Double($1.0) * Double($1.1) }
  }

  /// max |x − y| in Double: 0 when empty, NaN when any difference is NaN.
  public static func maxAbsDiff<T: BinaryFloatingPoint>(_ x: [T], _ y: [T]) -> Double {
    var largest = 0.0
    for (a, b) in zip(x, y) {
      let d = abs(Double(a) - Double(b))
      if d.isNaN { return d }
      largest = max(largest, d)
    }
    return largest
  }

  /// The index of the first maximum of each row, or of the first NaN in a row that has one.
  public static func argmaxRows<T: BinaryFloatingPoint>(rows: Int, cols: Int, x: [T]) -> [Int64] {
    (0..<rows).map { r in
      let row = Array(x[(r * cols)..<((r + 1) * cols)])
      if let nan = row.firstIndex(where: \.isNaN) { return Int64(nan) }
      let best = row.max() ?? 0
      return Int64(row.firstIndex(of: best) ?? 0)
    }
  }

  /// The number of NaN or infinite elements.
  public static func countNonfinite<T: BinaryFloatingPoint>(_ x: [T]) -> Int64 {
    Int64(x.filter { !$0.isFinite }.count)
  }
}
