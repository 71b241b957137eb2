/// The forward geometry shared by conv2d, conv2d_transpose and conv2d_weight_grad, checked.
///
/// x [batch, inChannels, inH, inW] → y [batch, outChannels, outH, outW] with a weight
/// [outChannels, inChannels, kernelH, kernelW]; out = (in + 2·pad − kernel) / stride + 1,
/// rounded down. Every element count below fits an Int (checked), and the sizes a GEMM sees
/// fit BLAS's 32-bit int (checked when the op builds its `ConvPlan`).
struct ConvGeometry {
  let batch, inChannels, inH, inW, outChannels: Int
  let kernelH, kernelW, strideH, strideW, padH, padW: Int
  let outH, outW: Int

  /// Elements of one channel plane of x and of y.
  let inPlane, outPlane: Int
  /// inChannels · kernelH · kernelW: the rows of an im2col matrix (the GEMM's k).
  let patch: Int
  /// Elements of x, y and the weight.
  let inputCount, outputCount, weightCount: Int

  init(
    _ check: Check, batch: Int64, inChannels: Int64, inH: Int64, inW: Int64,
    outChannels: Int64, kernelH: Int64, kernelW: Int64, strideH: Int64, strideW: Int64,
    padH: Int64, padW: Int64
  ) throws(KernelError) {
    try check.count("batch", Int(batch))
    try check.count("in_channels", Int(inChannels))
    try check.count("out_channels", Int(outChannels))
    try check.atLeast("in_h", Int(inH), 1)
    try check.atLeast("in_w", Int(inW), 1)
    try check.atLeast("kernel_h", Int(kernelH), 1)
    try check.atLeast("kernel_w", Int(kernelW), 1)
    try check.atLeast("stride_h", Int(strideH), 1)
    try check.atLeast("stride_w", Int(strideW), 1)
    try check.count("pad_h", Int(padH))
    try check.count("pad_w", Int(padW))
    self.batch = Int(batch)
    self.inChannels = Int(inChannels)
    self.inH = Int(inH)
    self.inW = Int(inW)
    self.outChannels = Int(outChannels)
    self.kernelH = Int(kernelH)
    self.kernelW = Int(kernelW)
    self.strideH = Int(strideH)
    self.strideW = Int(strideW)
    self.padH = Int(padH)
    self.padW = Int(padW)
    outH = try check.convolvedSize(
      "h", self.inH, pad: self.padH, kernel: self.kernelH, stride: self.strideH)
    outW = try check.convolvedSize(
      "w", self.inW, pad: self.padW, kernel: self.kernelW, stride: self.strideW)
    inPlane = try check.product(self.inH, self.inW, names: "in_h × in_w")
    outPlane = try check.product(outH, outW, names: "out_h × out_w")
    let kernelArea = try check.product(self.kernelH, self.kernelW, names: "kernel_h × kernel_w")
    patch = try check.product(self.inChannels, kernelArea, names: "in_channels × kernel area")
    let perInput = try check.product(self.inChannels, inPlane, names: "in_channels × in_h × in_w")
    inputCount = try check.product(self.batch, perInput, names: "the size of x")
    let perOutput = try check.product(
      self.outChannels, outPlane, names: "out_channels × out_h × out_w")
    outputCount = try check.product(self.batch, perOutput, names: "the size of y")
    weightCount = try check.product(self.outChannels, patch, names: "the size of the weight")
  }

  /// The output columns ow whose input column ow·stride + v − pad lies inside the image, for
  /// kernel column v: [lower, upper), empty when upper ≤ lower. Rows likewise with `rows`.
  @inline(__always)
  func validColumns(_ v: Int) -> (lower: Int, upper: Int) {
    Self.validRange(offset: v - padW, stride: strideW, input: inW, output: outW)
  }

  @inline(__always)
  func validRows(_ u: Int) -> (lower: Int, upper: Int) {
    Self.validRange(offset: u - padH, stride: strideH, input: inH, output: outH)
  }

  /// The i in [0, output) with 0 ≤ i·stride + offset < input.
  @inline(__always)
  static func validRange(offset: Int, stride: Int, input: Int, output: Int)
    -> (lower: Int, upper: Int)
  {
    // i ≥ ceil(−offset / stride) and i ≤ floor((input − 1 − offset) / stride).
    let lower = max(0, ceilDivide(-offset, stride))
    let upper = min(output, floorDivide(input - 1 - offset, stride) + 1)
    return (lower, max(lower, upper))
  }

  @inline(__always)
  static func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  @inline(__always)
  static func ceilDivide(_ a: Int, _ b: Int) -> Int { -floorDivide(-a, b) }
}

extension Check {
  /// A size with a lower bound other than 0 (kernel, stride, image sides).
  func atLeast(_ name: String, _ value: Int, _ minimum: Int) throws(KernelError) {
    if value < minimum {
      throw .invalid("kernel.\(op): \(name) is \(value), must be at least \(minimum)")
    }
  }

  /// (input + 2·pad − kernel) / stride + 1, refused unless ≥ 1 (the kernel must fit the
  /// padded input at least once).
  func convolvedSize(_ axis: String, _ input: Int, pad: Int, kernel: Int, stride: Int)
    throws(KernelError) -> Int
  {
    let (twice, o1) = pad.multipliedReportingOverflow(by: 2)
    let (padded, o2) = input.addingReportingOverflow(twice)
    if o1 || o2 || padded - kernel < 0 {
      throw .invalid(
        "kernel.\(op): in_\(axis) + 2·pad_\(axis) is \(o1 || o2 ? "too large" : "\(padded)"), "
          + "must be at least kernel_\(axis) (\(kernel)) so that out_\(axis) ≥ 1")
    }
    return (padded - kernel) / stride + 1
  }

  /// (input − window) / stride + 1 of a pooling, refused unless ≥ 1.
  func pooledSize(_ axis: String, _ input: Int, window: Int, stride: Int) throws(KernelError)
    -> Int
  {
    if input < window {
      throw .invalid(
        "kernel.\(op): in_\(axis) is \(input), must be at least pool_\(axis) (\(window)) so "
          + "that out_\(axis) ≥ 1")
    }
    return (input - window) / stride + 1
  }
}
