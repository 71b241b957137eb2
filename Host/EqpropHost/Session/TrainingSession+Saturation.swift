@preconcurrency import CEqprop

extension TrainingSession {
  /// The fraction of units of `states` sitting on a bound of their layer's clip range, over
  /// every layer that declares one; nil when none does.
  ///
  /// A clipped unit passes no gradient through the step, so a rising fraction says the
  /// network is learning less than its size suggests. One read of the states: cheap beside
  /// the phase of many steps that produced them.
  func saturation(of states: TensorSet) -> Double? {
    var saturated = 0
    var total = 0
    for (index, layer) in model.layers.enumerated() where index < states.count {
      guard let range = layer.clipRange, let data = states.data(index) else { continue }
      let count = states.elementCount(index)
      if states.dtype == UInt32(EQP_DTYPE_F64) {
        saturated += Self.countOnBounds(data.assumingMemoryBound(to: Double.self), count, range)
      } else {
        let bounds = Float(range.lowerBound)...Float(range.upperBound)
        saturated += Self.countOnBounds(data.assumingMemoryBound(to: Float.self), count, bounds)
      }
      total += count
    }
    return total > 0 ? Double(saturated) / Double(total) : nil
  }

  /// Elements at or beyond either end of `range` (clipping leaves them exactly on it).
  private static func countOnBounds<T: BinaryFloatingPoint>(
    _ values: UnsafePointer<T>, _ count: Int, _ range: ClosedRange<T>
  ) -> Int {
    var found = 0
    for index in 0..<count
    where values[index] <= range.lowerBound || values[index] >= range.upperBound {
      found += 1
    }
    return found
  }
}
