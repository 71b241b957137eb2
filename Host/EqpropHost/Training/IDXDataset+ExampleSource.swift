@preconcurrency import CEqprop

extension IDXDataset: ExampleSource {
  public func label(_ index: Int) -> Int { Int(labels[index]) }

  public func fill(
    _ indices: ArraySlice<Int>, input: UnsafeMutableRawPointer, target: UnsafeMutableRawPointer,
    dtype: UInt32, classes: Int
  ) {
    let inputCount = indices.count * featureCount
    let targetCount = indices.count * classes
    // The trainer built both buffers for exactly this batch and dtype, so fillBatch's size
    // checks cannot fail here.
    if dtype == UInt32(EQP_DTYPE_F64) {
      try? fillBatch(
        indices: indices,
        pixels: UnsafeMutableBufferPointer(start: input.assumingMemoryBound(to: Double.self), count: inputCount),
        targets: UnsafeMutableBufferPointer(start: target.assumingMemoryBound(to: Double.self), count: targetCount))
    } else {
      try? fillBatch(
        indices: indices,
        pixels: UnsafeMutableBufferPointer(start: input.assumingMemoryBound(to: Float.self), count: inputCount),
        targets: UnsafeMutableBufferPointer(start: target.assumingMemoryBound(to: Float.self), count: targetCount))
    }
  }
}
