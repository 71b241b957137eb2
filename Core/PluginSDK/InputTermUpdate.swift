@preconcurrency import CEqprop

/// Keeps a model's cached input term u = x·Wᵀ + b (B × out, what `prepare` computes for the
/// layer fed by the input) in step with a continual update of W and b, without a new
/// B × in × out product.
///
/// A step moves W by a rank-B product with the batch's own x and b by the batch sum of the
/// same rows: W += r_W·Δᵀx and b += r_b·Σ_b Δ_b, with Δ B × out. Then exactly
///   u += r_W·(x·xᵀ)·Δ + r_b·(1·1ᵀ)·Δ,
/// two B × B × out products (the bias is an input constantly 1). The Gram matrix x·xᵀ
/// depends on x only, so it is computed at the first step after `invalidate()` and reused
/// for the rest of the batch. The result differs from recomputing u by rounding only; the
/// difference grows with the steps of one batch, and `prepare` starts every batch afresh.
public final class InputTermUpdate {
  public let batch: Int
  /// x·xᵀ, then 1·1ᵀ: B × B each.
  private let matrices = HostTensors()
  private var gramIsCurrent = false

  /// Scratch for batches of `batch` examples in `dtype`, from the host allocator.
  public init(batch: Int, dtype: UInt32, err: OpaquePointer?) throws(PluginError) {
    self.batch = batch
    for _ in 0..<2 { try matrices.append(dtype: dtype, shape: [Int64(batch), Int64(batch)], err: err) }
  }

  /// The batch's x may have changed: a model's `prepare` calls this.
  public func invalidate() { gramIsCurrent = false }

  /// u += weightRate·(x·xᵀ)·delta + biasRate·(1·1ᵀ)·delta, for the x of the current batch
  /// (B × inputWidth) and delta, term (B × width), all row-major in the kernel's dtype. A
  /// biasRate of 0 is a bias that does not move (or is not part of u).
  public func apply(
    input x: UnsafeRawPointer?, inputWidth: Int, delta: UnsafeRawPointer?, width: Int, weightRate: Double,
    biasRate: Double, term: UnsafeMutableRawPointer?, _ kernel: KernelCalls
  ) throws(PluginError) {
    let gram = matrices.tensors[0].baseAddress
    let ones = matrices.tensors[1].baseAddress
    if !gramIsCurrent {
      try kernel.gemm(
        transA: false, transB: true, m: batch, n: batch, k: inputWidth, alpha: 1, a: x, lda: inputWidth, b: x,
        ldb: inputWidth, beta: 0, c: gram, ldc: batch)
      try kernel.fill(count: batch * batch, value: 1, x: ones)
      gramIsCurrent = true
    }
    try kernel.gemm(
      transA: false, transB: false, m: batch, n: width, k: batch, alpha: weightRate, a: gram, lda: batch, b: delta,
      ldb: width, beta: 1, c: term, ldc: width)
    guard biasRate != 0 else { return }
    try kernel.gemm(
      transA: false, transB: false, m: batch, n: width, k: batch, alpha: biasRate, a: ones, lda: batch, b: delta,
      ldb: width, beta: 1, c: term, ldc: width)
  }
}
