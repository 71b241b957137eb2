extension ByteImages {
  /// Writes the examples at `indices` into caller-owned buffers, allocating nothing: `pixels`
  /// (`indices.count × featureCount` values, channel-major) gets each byte divided by 255,
  /// and `targets` (`indices.count × classCount`) gets each label one-hot. With `transform`,
  /// each example's image is first flipped and cropped as `transform(index)` draws.
  ///
  /// The scaling is torchvision's `ToTensor` (`byte / 255` in the target precision, values in
  /// [0, 1], no mean or deviation subtracted), so numbers compare with PyTorch runs. Sizes and
  /// indices are checked before anything is written: on failure the buffers are untouched.
  public func fillBatch(
    indices: some Collection<Int>, pixels: UnsafeMutableBufferPointer<Float>,
    targets: UnsafeMutableBufferPointer<Float>, transform: ((Int) -> ImageTransform)? = nil
  ) throws(DataError) {
    try checkBatch(indices, pixelCount: pixels.count, targetCount: targets.count)
    fill(indices, pixels, targets, transform)
  }

  /// The float64 twin of `fillBatch(indices:pixels:targets:transform:)`, for the gradient
  /// checks. (Two concrete overloads, not one generic function: each inlines `fill` with its
  /// scalar known, which keeps the per-pixel loop free of generic calls.)
  public func fillBatch(
    indices: some Collection<Int>, pixels: UnsafeMutableBufferPointer<Double>,
    targets: UnsafeMutableBufferPointer<Double>, transform: ((Int) -> ImageTransform)? = nil
  ) throws(DataError) {
    try checkBatch(indices, pixelCount: pixels.count, targetCount: targets.count)
    fill(indices, pixels, targets, transform)
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
    _ targetsOut: UnsafeMutableBufferPointer<Scalar>, _ transform: ((Int) -> ImageTransform)?
  ) {
    let features = featureCount
    targetsOut.update(repeating: 0)
    pixels.withUnsafeBufferPointer { source in
      for (row, index) in indices.enumerated() {
        let image = UnsafeBufferPointer(rebasing: source[(index * features)...].prefix(features))
        let out = UnsafeMutableBufferPointer(rebasing: pixelsOut[(row * features)...].prefix(features))
        if let transform {
          transform(index).write(image, shape: (channels, rows, cols), into: out)
        } else {
          for offset in 0..<features { out[offset] = Scalar(image[offset]) / 255 }
        }
        targetsOut[row * classCount + Int(labels[index])] = 1
      }
    }
  }
}
