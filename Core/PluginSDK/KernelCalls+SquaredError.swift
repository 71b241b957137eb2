@preconcurrency import CEqprop

/// The cost of the papers' models, ℓ = ½‖s_0 − y‖² per example (spec §1), shared by every
/// model whose output layer is compared with a one-hot target.
extension KernelCalls {
  /// perExample[b] = ½‖output_b − target_b‖² for `rows` rows of `width` elements; `residual`
  /// is scratch of rows × width elements.
  public func halfSquaredError(
    rows: Int, width: Int, output: UnsafeRawPointer?, target: UnsafeRawPointer?,
    residual: UnsafeMutableRawPointer?, into perExample: UnsafeMutablePointer<Double>
  ) throws(PluginError) {
    try copy(count: rows * width, from: output, to: residual)
    try axpby(count: rows * width, alpha: -1, x: target, beta: 1, y: residual)
    for row in 0..<rows { perExample[row] = 0 }
    try rowDots(rows: rows, cols: width, alpha: 0.5, x: residual, y: residual, into: perExample)
  }

  /// gradient += coeff·(output − target) over `count` elements: ∂ℓ/∂s_0.
  public func halfSquaredErrorGrad(
    count: Int, coeff: Double, output: UnsafeRawPointer?, target: UnsafeRawPointer?,
    into gradient: UnsafeMutableRawPointer?
  ) throws(PluginError) {
    try axpby(count: count, alpha: coeff, x: output, beta: 1, y: gradient)
    try axpby(count: count, alpha: -coeff, x: target, beta: 1, y: gradient)
  }
}
