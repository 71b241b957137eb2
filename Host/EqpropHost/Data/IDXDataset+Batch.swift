extension IDXDataset {
  /// Writes the examples at `indices` into caller-owned buffers, allocating nothing: `pixels`
  /// (`indices.count × featureCount` values, row-major) gets each byte divided by 255, and
  /// `targets` (`indices.count × classCount`) gets each label one-hot.
  ///
  /// The scaling is torchvision's `ToTensor` (`byte / 255` in the target precision, values in
  /// [0, 1], no mean or deviation subtracted), so numbers compare with PyTorch runs. Sizes and
  /// indices are checked before anything is written: on failure the buffers are untouched.
  public func fillBatch(
    indices: some Collection<Int>, pixels: UnsafeMutableBufferPointer<Float>,
    targets: UnsafeMutableBufferPointer<Float>
  ) throws(DataError) {
    try checkBatch(indices, pixelCount: pixels.count, targetCount: targets.count)
    fill(indices, pixels, targets)
  }

  /// The float64 twin of `fillBatch(indices:pixels:targets:)`, for the gradient checks.
  public func fillBatch(
    indices: some Collection<Int>, pixels: UnsafeMutableBufferPointer<Double>,
    targets: UnsafeMutableBufferPointer<Double>
  ) throws(DataError) {
    try checkBatch(indices, pixelCount: pixels.count, targetCount: targets.count)
    fill(indices, pixels, targets)
  }

  private func checkBatch(
    _ indices: some Collection<Int>, pixelCount: Int, targetCount: Int
  ) throws(DataError) {
    let batch = indices.count
    guard pixelCount == batch * featureCount, targetCount == batch * classCount else {
      throw DataError.invalidArgument(
        "A batch of \(batch) examples needs \(batch * featureCount) pixel values and "
          + "\(batch * classCount) target values; the buffers hold \(pixelCount) and "
          + "\(targetCount).")
    }
    if let bad = indices.first(where: { !(0..<count).contains($0) }) {
      throw DataError.invalidArgument(
        "Example index \(bad) is outside this split's 0..<\(count).")
    }
  }

  @inline(__always)
  private func fill<Scalar: BinaryFloatingPoint>(
    _ indices: some Collection<Int>, _ pixelsOut: UnsafeMutableBufferPointer<Scalar>,
    _ targetsOut: UnsafeMutableBufferPointer<Scalar>
  ) {
    let features = featureCount
    targetsOut.update(repeating: 0)
    pixels.withUnsafeBufferPointer { source in
      for (row, index) in indices.enumerated() {
        let from = index * features
        let to = row * features
        for offset in 0..<features {
          pixelsOut[to + offset] = Scalar(source[from + offset]) / 255
        }
        targetsOut[row * classCount + Int(labels[index])] = 1
      }
    }
  }
}
