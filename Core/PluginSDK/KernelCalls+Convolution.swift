@preconcurrency import CEqprop

/// The 1.1 kernel entries (convolution and pooling, NCHW). Each checks first that the host's
/// table reaches the entry, so a plugin on a 1.0 host gets a sentence instead of a NULL call;
/// a library that uses them also sets `requiredHostMinor: 1` (LibraryBuilder.make).
extension KernelCalls {
  /// Whether the host's kernel table has the 1.1 convolution and pooling entries (the copy
  /// in `table` is zero past the host's struct_size, so absent entries read as nil).
  public var hasConvolution: Bool {
    table.conv2d != nil && table.conv2d_transpose != nil && table.conv2d_weight_grad != nil
      && table.maxpool2d != nil && table.maxunpool2d != nil && table.pool_gather2d != nil
  }

  /// Refuses with `.abiMismatch` unless the host's kernel has the 1.1 entries.
  public func requireConvolution(_ who: @autoclosure () -> String) throws(PluginError) {
    guard hasConvolution else {
      throw PluginError(
        .abiMismatch,
        "\(who()): the host's kernel table (struct_size \(table.struct_size)) lacks the "
          + "convolution and pooling entries of ABI 1.1 (struct_size \(Self.convolutionEnd)); "
          + "update eqprop")
    }
  }

  /// The end offset of the last 1.1 entry: the struct_size a 1.1 table has.
  static var convolutionEnd: Int {
    (MemoryLayout<EQP_HostKernelApi>.offset(of: \.pool_gather2d) ?? 0)
      + MemoryLayout<UnsafeRawPointer?>.size
  }

  /// The entry, or an `.abiMismatch` naming it when the host's table stops before it.
  private func entry<F>(_ function: F?, _ name: String) throws(PluginError) -> F {
    guard let function else {
      throw PluginError(
        .abiMismatch,
        "kernel.\(name): the host's kernel table (struct_size \(table.struct_size)) has no "
          + "\(name); it needs ABI 1.1 (struct_size \(Self.convolutionEnd)): update eqprop")
    }
    return function
  }

  private func check(_ status: EQP_Status, _ op: String) throws(PluginError) {
    try PluginError.check(status, "kernel.\(op)")
  }

  /// y = alpha·(conv(x) + bias) + beta·y; bias may be nil.
  public func conv2d(
    _ s: ConvShape, alpha: Double = 1, x: UnsafeRawPointer?, weight: UnsafeRawPointer?,
    bias: UnsafeRawPointer?, beta: Double = 0, y: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    let call = try entry(table.conv2d, "conv2d")
    try check(
      call(
        dtype, Int64(s.batch), Int64(s.inChannels), Int64(s.inH), Int64(s.inW),
        Int64(s.outChannels), Int64(s.kernelH), Int64(s.kernelW), Int64(s.strideH),
        Int64(s.strideW), Int64(s.padH), Int64(s.padW), alpha, x, weight, bias, beta, y, err),
      "conv2d")
  }

  /// x = alpha·convᵀ(y) + beta·x: the adjoint of conv2d in its input (no bias).
  public func conv2dTranspose(
    _ s: ConvShape, alpha: Double = 1, y: UnsafeRawPointer?, weight: UnsafeRawPointer?,
    beta: Double, x: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    let call = try entry(table.conv2d_transpose, "conv2d_transpose")
    try check(
      call(
        dtype, Int64(s.batch), Int64(s.inChannels), Int64(s.inH), Int64(s.inW),
        Int64(s.outChannels), Int64(s.kernelH), Int64(s.kernelW), Int64(s.strideH),
        Int64(s.strideW), Int64(s.padH), Int64(s.padW), alpha, y, weight, beta, x, err),
      "conv2d_transpose")
  }

  /// weightGrad += alpha·G(x, dy); biasGrad (if not nil) += alpha·Σ dy per channel.
  public func conv2dWeightGrad(
    _ s: ConvShape, alpha: Double, x: UnsafeRawPointer?, dy: UnsafeRawPointer?,
    weightGrad: UnsafeMutableRawPointer?, biasGrad: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    let call = try entry(table.conv2d_weight_grad, "conv2d_weight_grad")
    try check(
      call(
        dtype, Int64(s.batch), Int64(s.inChannels), Int64(s.inH), Int64(s.inW),
        Int64(s.outChannels), Int64(s.kernelH), Int64(s.kernelW), Int64(s.strideH),
        Int64(s.strideW), Int64(s.padH), Int64(s.padW), alpha, x, dy, weightGrad, biasGrad, err),
      "conv2d_weight_grad")
  }

  /// y = the windows' maxima; indices (int64, may be nil) = where they sit (first maximum on
  /// ties).
  public func maxpool2d(
    _ p: PoolShape, x: UnsafeRawPointer?, y: UnsafeMutableRawPointer?,
    indices: UnsafeMutablePointer<Int64>?
  ) throws(PluginError) {
    let call = try entry(table.maxpool2d, "maxpool2d")
    try check(
      call(
        dtype, Int64(p.batch), Int64(p.channels), Int64(p.inH), Int64(p.inW), Int64(p.poolH),
        Int64(p.poolW), Int64(p.strideH), Int64(p.strideW), x, y, indices, err),
      "maxpool2d")
  }

  /// y (shaped like the pooling's input) = 0 except x scattered to the indices.
  public func maxunpool2d(
    _ p: PoolShape, x: UnsafeRawPointer?, indices: UnsafePointer<Int64>?,
    y: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    let call = try entry(table.maxunpool2d, "maxunpool2d")
    try check(
      call(
        dtype, Int64(p.batch), Int64(p.channels), Int64(p.inH), Int64(p.inW), Int64(p.outH),
        Int64(p.outW), x, indices, y, err),
      "maxunpool2d")
  }

  /// y (shaped like the pooling's output) = x read at the indices.
  public func poolGather2d(
    _ p: PoolShape, x: UnsafeRawPointer?, indices: UnsafePointer<Int64>?,
    y: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    let call = try entry(table.pool_gather2d, "pool_gather2d")
    try check(
      call(
        dtype, Int64(p.batch), Int64(p.channels), Int64(p.inH), Int64(p.inW), Int64(p.outH),
        Int64(p.outW), x, indices, y, err),
      "pool_gather2d")
  }
}
