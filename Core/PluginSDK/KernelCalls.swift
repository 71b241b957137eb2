@preconcurrency import CEqprop

/// The host kernel as throwing Swift calls for one dtype: each wraps the table entry, and a
/// failure carries the kernel's message (already in `err`) as a `PluginError`.
///
/// Pointers are device pointers of the kernel's device; arrays are row-major.
public struct KernelCalls {
  public let dtype: UInt32
  let table: EQP_HostKernelApi
  let err: OpaquePointer?

  public init(dtype: UInt32, err: OpaquePointer?) throws(PluginError) {
    // Copied only as far as the host's struct_size reaches: entries of a newer minor than the
    // host's read as nil (the 1.1 convolutions on a 1.0 host).
    guard let table = SizedTable.copy(PluginHost.kernel, EQP_HostKernelApi()) else {
      throw PluginError(.abiMismatch, "the host offers no kernel (was init called?)")
    }
    self.dtype = dtype
    self.table = table
    self.err = err
  }

  private func check(_ status: EQP_Status, _ op: String) throws(PluginError) {
    try PluginError.check(status, "kernel.\(op)")
  }

  /// C[m×n] = alpha·op(A)·op(B) + beta·C.
  public func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafeRawPointer?, lda: Int, b: UnsafeRawPointer?, ldb: Int, beta: Double,
    c: UnsafeMutableRawPointer?, ldc: Int
  ) throws(PluginError) {
    try check(
      table.gemm(
        dtype, transA ? 1 : 0, transB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha, a,
        Int64(lda), b, Int64(ldb), beta, c, Int64(ldc), err), "gemm")
  }

  /// C[m×n] += alpha·Σ_b a[b,:]ᵀ b[b,:].
  public func outerAccumulate(
    batch: Int, m: Int, n: Int, alpha: Double, a: UnsafeRawPointer?, b: UnsafeRawPointer?,
    c: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try check(table.outer_acc(dtype, Int64(batch), Int64(m), Int64(n), alpha, a, b, c, err), "outer_acc")
  }

  public func activate(
    _ activation: Int32, count: Int, x: UnsafeRawPointer?, y: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try check(table.activate(dtype, activation, Int64(count), x, y, err), "activate")
  }

  public func activateGrad(
    _ activation: Int32, count: Int, x: UnsafeRawPointer?, y: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try check(table.activate_grad(dtype, activation, Int64(count), x, y, err), "activate_grad")
  }

  /// y = alpha·x + beta·y.
  public func axpby(
    count: Int, alpha: Double, x: UnsafeRawPointer?, beta: Double, y: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try check(table.axpby(dtype, Int64(count), alpha, x, beta, y, err), "axpby")
  }

  /// z = x ⊙ y.
  public func mul(
    count: Int, x: UnsafeRawPointer?, y: UnsafeRawPointer?, z: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try check(table.mul(dtype, Int64(count), x, y, z, err), "mul")
  }

  /// y[r,:] += alpha·v.
  public func addRowVector(
    rows: Int, cols: Int, alpha: Double, v: UnsafeRawPointer?, y: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try check(table.add_row_vector(dtype, Int64(rows), Int64(cols), alpha, v, y, err), "add_row_vector")
  }

  /// v = alpha·Σ_r x[r,:] + beta·v.
  public func sumRows(
    rows: Int, cols: Int, alpha: Double, x: UnsafeRawPointer?, beta: Double,
    v: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try check(table.sum_rows(dtype, Int64(rows), Int64(cols), alpha, x, beta, v, err), "sum_rows")
  }

  public func fill(count: Int, value: Double, x: UnsafeMutableRawPointer?) throws(PluginError) {
    try check(table.fill(dtype, Int64(count), value, x, err), "fill")
  }

  /// y = x (same dtype).
  public func copy(count: Int, from x: UnsafeRawPointer?, to y: UnsafeMutableRawPointer?)
    throws(PluginError)
  {
    try check(table.convert(dtype, dtype, Int64(count), x, y, err), "convert")
  }

  public func dot(count: Int, x: UnsafeRawPointer?, y: UnsafeRawPointer?) throws(PluginError)
    -> Double
  {
    var result = 0.0
    try check(table.dot(dtype, Int64(count), x, y, &result, err), "dot")
    return result
  }
}
