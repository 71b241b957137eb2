@preconcurrency import CEqprop

extension KernelCalls {
  /// x = clamp(x, low, high) elementwise over `count` elements: a layer's clip range after a
  /// step. low ≤ high, neither NaN; NaN stays in place.
  public func clip(count: Int, low: Double, high: Double, x: UnsafeMutableRawPointer?)
    throws(PluginError)
  {
    try PluginError.check(table.clip(dtype, Int64(count), low, high, x, err), "kernel.clip")
  }

  /// max |x − y| over `count` elements (0 for none, NaN when any difference is NaN): how far
  /// a step moved the states.
  public func maxAbsDiff(count: Int, x: UnsafeRawPointer?, y: UnsafeRawPointer?) throws(PluginError)
    -> Double
  {
    var result = 0.0
    try PluginError.check(
      table.max_abs_diff(dtype, Int64(count), x, y, &result, err), "kernel.max_abs_diff")
    return result
  }
}
