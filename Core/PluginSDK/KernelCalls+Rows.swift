@preconcurrency import CEqprop

extension KernelCalls {
  /// out[r] += alpha·⟨x[r,:], y[r,:]⟩ for each of `rows` rows of `cols` elements: the
  /// per-example sums of energies, Φ and costs.
  ///
  /// x and y are row-major rows × cols arrays of the kernel's dtype; out is host memory.
  public func rowDots(
    rows: Int, cols: Int, alpha: Double, x: UnsafeRawPointer?, y: UnsafeRawPointer?,
    into out: UnsafeMutablePointer<Double>
  ) throws(PluginError) {
    let stride = cols * (dtype == UInt32(EQP_DTYPE_F64) ? 8 : 4)
    for row in 0..<rows {
      let offset = row * stride
      out[row] += alpha * (try dot(count: cols, x: x.map { $0 + offset }, y: y.map { $0 + offset }))
    }
  }
}
