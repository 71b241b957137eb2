import COpenBLAS

extension CPUKernel {
  /// y = alpha · (conv(x) + bias) + beta · y: the 2-D convolution (cross-correlation) of
  /// `ConvGeometry`, NCHW; bias may be NULL; beta = 0 ignores y's old contents.
  ///
  /// im2col + one OpenBLAS GEMM per chunk of examples (`Convolution.forward`).
  public static func conv2d(
    dtype: UInt32, batch: Int64, inChannels: Int64, inH: Int64, inW: Int64, outChannels: Int64,
    kernelH: Int64, kernelW: Int64, strideH: Int64, strideW: Int64, padH: Int64, padW: Int64,
    alpha: Double, x: UnsafeRawPointer?, weight: UnsafeRawPointer?, bias: UnsafeRawPointer?,
    beta: Double, y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "conv2d")
    let type = try check.dtype(dtype)
    let g = try ConvGeometry(
      check, batch: batch, inChannels: inChannels, inH: inH, inW: inW, outChannels: outChannels,
      kernelH: kernelH, kernelW: kernelW, strideH: strideH, strideW: strideW, padH: padH,
      padW: padW)
    try check.pointer("x", x, used: g.inputCount > 0 && g.outputCount > 0, type)
    try check.pointer("weight", weight, used: g.weightCount > 0 && g.outputCount > 0, type)
    try check.pointer("bias", bias, used: bias != nil, type)
    try check.pointer("y", y, used: g.outputCount > 0, type)
    guard g.outputCount > 0, let y else { return }
    let plan = try ConvPlan(check, g, type, rows: g.patch + g.outChannels)
    switch type {
    case .f32:
      Convolution.forward(
        g, plan, alpha: Float(alpha), x: x?.typed(Float.self), weight: weight?.typed(Float.self),
        bias: bias?.typed(Float.self), beta: Float(beta), y: y.typed(Float.self))
    case .f64:
      Convolution.forward(
        g, plan, alpha: alpha, x: x?.typed(Double.self), weight: weight?.typed(Double.self),
        bias: bias?.typed(Double.self), beta: beta, y: y.typed(Double.self))
    }
  }

  /// x = alpha · convᵀ(y) + beta · x: the adjoint of `conv2d` with respect to its input
  /// (transposed convolution, same weight, no bias); beta = 0 ignores x's old contents.
  ///
  /// Two paths with the same result up to rounding: when few elements of y are nonzero (an
  /// unpooled tensor is at most 1/(pool area) nonzero; `Convolution.sparseDensity`) the zeros
  /// are skipped (`Convolution.transposeSparse`); otherwise GEMM + col2im
  /// (`Convolution.transposeDense`).
  public static func conv2dTranspose(
    dtype: UInt32, batch: Int64, inChannels: Int64, inH: Int64, inW: Int64, outChannels: Int64,
    kernelH: Int64, kernelW: Int64, strideH: Int64, strideW: Int64, padH: Int64, padW: Int64,
    alpha: Double, y: UnsafeRawPointer?, weight: UnsafeRawPointer?, beta: Double,
    x: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "conv2d_transpose")
    let type = try check.dtype(dtype)
    let g = try ConvGeometry(
      check, batch: batch, inChannels: inChannels, inH: inH, inW: inW, outChannels: outChannels,
      kernelH: kernelH, kernelW: kernelW, strideH: strideH, strideW: strideW, padH: padH,
      padW: padW)
    try check.pointer("y", y, used: g.outputCount > 0 && g.inputCount > 0, type)
    try check.pointer("weight", weight, used: g.weightCount > 0 && g.inputCount > 0, type)
    try check.pointer("x", x, used: g.inputCount > 0, type)
    guard g.inputCount > 0, let x else { return }
    let plan = try ConvPlan(check, g, type, rows: g.patch + g.outChannels)
    switch type {
    case .f32:
      Convolution.transpose(
        g, plan, alpha: Float(alpha), y: y?.typed(Float.self), weight: weight?.typed(Float.self),
        beta: Float(beta), x: x.typed(Float.self))
    case .f64:
      Convolution.transpose(
        g, plan, alpha: alpha, y: y?.typed(Double.self), weight: weight?.typed(Double.self),
        beta: beta, x: x.typed(Double.self))
    }
  }

  /// weight_grad += alpha · G(x, dy) and, when bias_grad is not NULL, bias_grad[o] += alpha ·
  /// Σ dy[·, o, ·, ·]: the parameter gradients of `conv2d` (x its input, dy shaped like its
  /// output). im2col + one GEMM per chunk of examples.
  public static func conv2dWeightGrad(
    dtype: UInt32, batch: Int64, inChannels: Int64, inH: Int64, inW: Int64, outChannels: Int64,
    kernelH: Int64, kernelW: Int64, strideH: Int64, strideW: Int64, padH: Int64, padW: Int64,
    alpha: Double, x: UnsafeRawPointer?, dy: UnsafeRawPointer?,
    weightGrad: UnsafeMutableRawPointer?, biasGrad: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "conv2d_weight_grad")
    let type = try check.dtype(dtype)
    let g = try ConvGeometry(
      check, batch: batch, inChannels: inChannels, inH: inH, inW: inW, outChannels: outChannels,
      kernelH: kernelH, kernelW: kernelW, strideH: strideH, strideW: strideW, padH: padH,
      padW: padW)
    try check.pointer("x", x, used: g.inputCount > 0 && g.weightCount > 0, type)
    try check.pointer("dy", dy, used: g.outputCount > 0, type)
    try check.pointer("weight_grad", weightGrad, used: g.weightCount > 0 && g.outputCount > 0, type)
    try check.pointer("bias_grad", biasGrad, used: biasGrad != nil, type)
    guard g.outputCount > 0, let dy else { return }
    let plan = try ConvPlan(check, g, type, rows: g.patch + g.outChannels)
    switch type {
    case .f32:
      Convolution.weightGrad(
        g, plan, alpha: Float(alpha), x: x?.typed(Float.self), dy: dy.typed(Float.self),
        weightGrad: weightGrad?.typed(Float.self), biasGrad: biasGrad?.typed(Float.self))
    case .f64:
      Convolution.weightGrad(
        g, plan, alpha: alpha, x: x?.typed(Double.self), dy: dy.typed(Double.self),
        weightGrad: weightGrad?.typed(Double.self), biasGrad: biasGrad?.typed(Double.self))
    }
  }
}

/// How a convolution op splits its batch into GEMMs: examples per chunk and the sizes BLAS
/// sees, checked once before any memory is touched.
struct ConvPlan {
  let type: DType
  /// Examples per chunk (≥ 1).
  let chunk: Int
  /// Scratch elements per chunk: `rows` · chunk · outPlane.
  let scratchElements: Int

  /// Scratch per chunk is capped at `scratchLimit` elements (at least one example): 16 MB
  /// in float32. Measured on P-conv's C_1 (batch 20, one chunk of 800 × 1 280 columns): 1.7–1.8
  /// ms, against 1.8–1.9 ms with one example per chunk (columns that stay in L2); larger
  /// GEMMs win on small images, where one example gives BLAS only a few columns.
  static let scratchLimit = 1 << 22

  /// `rows`: scratch rows per output column (im2col rows plus the GEMM's other operand);
  /// `limit`: the cap on scratch elements (tests lower it to reach several chunks).
  init(_ check: Check, _ g: ConvGeometry, _ type: DType, rows: Int, limit: Int = scratchLimit)
    throws(KernelError)
  {
    self.type = type
    let perExample = try check.product(rows, g.outPlane, names: "the scratch of one example")
    chunk = max(1, min(g.batch, limit / max(perExample, 1)))
    scratchElements = try check.product(perExample, chunk, names: "the scratch of one chunk")
    _ = try check.blasInt("in_channels × kernel_h × kernel_w", g.patch)
    _ = try check.blasInt("out_channels", g.outChannels)
    _ = try check.blasInt("the columns of one chunk", chunk * g.outPlane)
  }

  /// A GEMM of sizes already checked to fit BLAS's int.
  func shape(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, lda: Int, ldb: Int,
    ldc: Int
  ) -> Gemm.Shape {
    Gemm.Shape(
      transA: transA ? CblasTrans : CblasNoTrans, transB: transB ? CblasTrans : CblasNoTrans,
      m: Int32(truncatingIfNeeded: m), n: Int32(truncatingIfNeeded: n),
      k: Int32(truncatingIfNeeded: k), lda: Int32(truncatingIfNeeded: max(lda, 1)),
      ldb: Int32(truncatingIfNeeded: max(ldb, 1)), ldc: Int32(truncatingIfNeeded: max(ldc, 1)))
  }
}

extension Gemm.Shape {
  /// Sizes already checked by a `ConvPlan`.
  init(
    transA: CBLAS_TRANSPOSE, transB: CBLAS_TRANSPOSE, m: Int32, n: Int32, k: Int32, lda: Int32,
    ldb: Int32, ldc: Int32
  ) {
    self.transA = transA
    self.transB = transB
    self.m = m
    self.n = n
    self.k = k
    self.lda = lda
    self.ldb = ldb
    self.ldc = ldc
  }
}
