@preconcurrency import CEqprop

/// Byte images as the trainer batches them: scaled to [0, 1] with one-hot targets and, for a
/// training split, the config's augmentations drawn per (seed, epoch, example index).
public struct ImageExamples: ExampleSource, Sendable {
  public let images: any ByteImages
  /// Empty for test splits: evaluation sees the images as they are.
  public let augment: [Augmentation]
  public let seed: UInt64
  /// Where the images came from, for messages ("CIFAR-10 binary files in DIR").
  public let origin: String

  public init(images: any ByteImages, augment: [Augmentation] = [], seed: UInt64 = 0, origin: String) {
    self.images = images
    self.augment = augment
    self.seed = seed
    self.origin = origin
  }

  public var count: Int { images.count }
  public var featureCount: Int { images.featureCount }
  public func label(_ index: Int) -> Int { Int(images.labels[index]) }

  public func fill(
    _ indices: ArraySlice<Int>, epoch: Int, input: UnsafeMutableRawPointer,
    target: UnsafeMutableRawPointer, dtype: UInt32, classes: Int
  ) {
    let (augment, seed) = (augment, seed)
    let transform: ((Int) -> ImageTransform)? =
      augment.isEmpty
      ? nil : { ImageTransform.draw(augment, seed: seed, epoch: epoch, index: $0) }
    let inputCount = indices.count * featureCount
    let targetCount = indices.count * classes
    // The trainer built both buffers for exactly this batch and dtype, so fillBatch's size
    // checks cannot fail here.
    if dtype == UInt32(EQP_DTYPE_F64) {
      try? images.fillBatch(
        indices: indices,
        pixels: UnsafeMutableBufferPointer(start: input.assumingMemoryBound(to: Double.self), count: inputCount),
        targets: UnsafeMutableBufferPointer(start: target.assumingMemoryBound(to: Double.self), count: targetCount),
        transform: transform)
    } else {
      try? images.fillBatch(
        indices: indices,
        pixels: UnsafeMutableBufferPointer(start: input.assumingMemoryBound(to: Float.self), count: inputCount),
        targets: UnsafeMutableBufferPointer(start: target.assumingMemoryBound(to: Float.self), count: targetCount),
        transform: transform)
    }
  }
}
