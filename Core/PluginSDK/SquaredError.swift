@preconcurrency import CEqprop

/// The output cost ℓ(s_0, y) = k·‖s_0 − y‖² shared by the models: k = ½ (Ernoult et al.
/// 2019) or 1 (Scellier & Bengio 2017, whose nudge is then doubled: spec pitfall 4).
public struct SquaredError {
  /// k in ℓ = k·‖s_0 − y‖².
  public let scale: Double

  public init(scale: Double = 0.5) { self.scale = scale }

  /// per_example[b] = k·‖s_{0,b} − y_b‖² for `batch` rows of `width`; `residual` is
  /// batch × width scratch.
  public func cost(
    batch: Int, width: Int, output: UnsafeRawPointer?, target: UnsafeRawPointer?,
    residual: UnsafeMutableRawPointer?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try kernel.copy(count: batch * width, from: output, to: residual)
    try kernel.axpby(count: batch * width, alpha: -1, x: target, beta: 1, y: residual)
    for row in 0..<batch { perExample[row] = 0 }
    try kernel.rowDots(rows: batch, cols: width, alpha: scale, x: residual, y: residual, into: perExample)
  }

  /// gradient += coeff·2k·(s_0 − y); ℓ depends on nothing else.
  public func accumulateGradient(
    batch: Int, width: Int, output: UnsafeRawPointer?, target: UnsafeRawPointer?, coeff: Double,
    into gradient: UnsafeMutableRawPointer?, _ kernel: KernelCalls
  ) throws(PluginError) {
    let alpha = 2 * scale * coeff
    try kernel.axpby(count: batch * width, alpha: alpha, x: output, beta: 1, y: gradient)
    try kernel.axpby(count: batch * width, alpha: -alpha, x: target, beta: 1, y: gradient)
  }
}
