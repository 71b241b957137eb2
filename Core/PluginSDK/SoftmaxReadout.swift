@preconcurrency import CEqprop

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A cross-entropy readout outside the energy (Laborieux et al. 2021): logits z = W_out s + b_out
/// from the last state layer s, ℓ = −Σ y log softmax(z). The nudge is −β·∂ℓ/∂s = β·W_outᵀ(y − p)
/// and W_out, b_out learn from ∂ℓ/∂θ (the β-term of Φ − βℓ in EP's contrast).
public struct SoftmaxReadout {
  public let classes: Int
  public let features: Int
  public let dtype: UInt32

  public init(classes: Int, features: Int, dtype: UInt32) {
    self.classes = classes
    self.features = features
    self.dtype = dtype
  }

  /// logits [batch × classes] = s·W_outᵀ + b_out.
  public func logits(
    batch: Int, state: UnsafeRawPointer?, weight: UnsafeRawPointer?, bias: UnsafeRawPointer?,
    into logits: UnsafeMutableRawPointer?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try kernel.gemm(
      transA: false, transB: true, m: batch, n: classes, k: features, alpha: 1, a: state, lda: features, b: weight,
      ldb: features, beta: 0, c: logits, ldc: classes)
    try kernel.addRowVector(rows: batch, cols: classes, alpha: 1, v: bias, y: logits)
  }

  /// per_example[b] = −Σ_k y_bk log softmax(z_b)_k, and `logits` turned into p = softmax(z).
  public func cost(
    batch: Int, logits: UnsafeMutableRawPointer?, target: UnsafeRawPointer?, perExample: UnsafeMutablePointer<Double>
  ) throws(PluginError) {
    try forEachRow(batch, logits, target) { row, z, y in
      let top = z.max() ?? 0
      let total = z.reduce(0) { $0 + exp($1 - top) }
      var loss = 0.0
      for k in 0..<z.count where y[k] != 0 { loss -= y[k] * (z[k] - top - log(total)) }
      perExample[row] = loss
      return z.map { exp($0 - top) / total }
    }
  }

  /// Turns `logits` into p − y, the gradient of ℓ with respect to the logits.
  public func residual(batch: Int, logits: UnsafeMutableRawPointer?, target: UnsafeRawPointer?) throws(PluginError) {
    try forEachRow(batch, logits, target) { _, z, y in
      let top = z.max() ?? 0
      let total = z.reduce(0) { $0 + exp($1 - top) }
      return z.indices.map { exp(z[$0] - top) / total - y[$0] }
    }
  }

  /// gradState += coeff·(p − y)W_out; gradWeight/gradBias (if given) += coeff·(p − y)ᵀs and
  /// coeff·Σ(p − y). `residual` holds p − y from `residual(batch:logits:target:)`.
  public func accumulateGradient(
    batch: Int, state: UnsafeRawPointer?, weight: UnsafeRawPointer?, residual: UnsafeRawPointer?, coeff: Double,
    gradState: UnsafeMutableRawPointer?, gradWeight: UnsafeMutableRawPointer?, gradBias: UnsafeMutableRawPointer?,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    try kernel.gemm(
      transA: false, transB: false, m: batch, n: features, k: classes, alpha: coeff, a: residual, lda: classes,
      b: weight, ldb: features, beta: 1, c: gradState, ldc: features)
    if let gradWeight {
      try kernel.outerAccumulate(
        batch: batch, m: classes, n: features, alpha: coeff, a: residual, b: state, c: gradWeight)
    }
    if let gradBias {
      try kernel.sumRows(rows: batch, cols: classes, alpha: coeff, x: residual, beta: 1, v: gradBias)
    }
  }

  /// Rewrites each row of `values` [batch × classes] with `body(row, values, target)`, in doubles.
  private func forEachRow(
    _ batch: Int, _ values: UnsafeMutableRawPointer?, _ target: UnsafeRawPointer?,
    _ body: (Int, [Double], [Double]) -> [Double]
  ) throws(PluginError) {
    guard let values, let target else { throw PluginError(.invalidArgument, "softmax readout: logits or target is NULL") }
    func rows<T: BinaryFloatingPoint>(_: T.Type) {
      let z = values.assumingMemoryBound(to: T.self)
      let y = target.assumingMemoryBound(to: T.self)
      for row in 0..<batch {
        let base = row * classes
        let result = body(
          row, (0..<classes).map { Double(z[base + $0]) }, (0..<classes).map { Double(y[base + $0]) })
        for k in 0..<classes { z[base + k] = T(result[k]) }
      }
    }
    switch dtype {
    case UInt32(EQP_DTYPE_F64): rows(Double.self)
    case UInt32(EQP_DTYPE_F32): rows(Float.self)
    default: throw PluginError(.unsupported, "softmax readout: dtype \(dtype) is neither f32 nor f64")
    }
  }
}
