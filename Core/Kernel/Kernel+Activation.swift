extension CPUKernel {
  /// y = act(x) over n elements; x and y may be the same array.
  public static func activate(
    dtype: UInt32, act: Int32, n: Int, x: UnsafeRawPointer?, y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "activate")
    let (type, act) = try checkActivationArguments(check, dtype, act, n, x, y)
    guard n > 0, let x, let y else { return }
    WorkerPool.forEachRange(n, parallel: n >= Activation.parallelElements) { _, range in
      switch type {
      case .f32:
        act.applyFloat(
          range.count, x.typed(Float.self) + range.lowerBound,
          y.typed(Float.self) + range.lowerBound)
      case .f64:
        act.apply(
          range.count, x.typed(Double.self) + range.lowerBound,
          y.typed(Double.self) + range.lowerBound)
      }
    }
  }

  /// y = act'(x) over n elements; x and y may be the same array.
  ///
  /// NaN lanes give NaN for every activation. hardsigm' is 1 on the closed interval [0, 1].
  public static func activateGrad(
    dtype: UInt32, act: Int32, n: Int, x: UnsafeRawPointer?, y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "activate_grad")
    let (type, act) = try checkActivationArguments(check, dtype, act, n, x, y)
    guard n > 0, let x, let y else { return }
    switch type {
    case .f32: act.applyDerivative(n, x.typed(Float.self), y.typed(Float.self))
    case .f64: act.applyDerivative(n, x.typed(Double.self), y.typed(Double.self))
    }
  }

  private static func checkActivationArguments(
    _ check: Check, _ dtype: UInt32, _ act: Int32, _ n: Int, _ x: UnsafeRawPointer?,
    _ y: UnsafeMutableRawPointer?
  ) throws(KernelError) -> (DType, Activation) {
    let type = try check.dtype(dtype)
    let activation = try check.activation(act)
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, type)
    try check.pointer("y", y, used: n > 0, type)
    return (type, activation)
  }
}
