/// One example's draw of the `data.augment` transformations: whether its image is mirrored,
/// and where the crop window sits in the image padded with zeros.
///
/// The image written is `flip(crop(pad(image)))`: pad each side with `padding` zeros, cut out
/// a window of the original size whose top-left corner is (`top`, `left`) in the padded
/// image, then mirror it left–right when `flip` is set.
public struct ImageTransform: Equatable, Sendable {
  public var flip: Bool
  /// The window's corner in the padded image, in 0...2·padding; `padding` leaves it in place.
  public var top: Int
  public var left: Int

  /// torchvision's `RandomCrop(32, padding=4)` on CIFAR-10, as the EP papers use it.
  public static let padding = 4
  public static let identity = ImageTransform(flip: false, top: padding, left: padding)

  public init(flip: Bool, top: Int, left: Int) {
    self.flip = flip
    self.top = top
    self.left = left
  }

  /// The draw of `augment` for example `index` in `epoch` (0-based): a pure function of
  /// (seed, epoch, index), with no stream to advance, so a run resumed in the middle of an
  /// epoch draws exactly what the uninterrupted run drew.
  public static func draw(
    _ augment: [Augmentation], seed: UInt64, epoch: Int, index: Int
  ) -> ImageTransform {
    let bits = SplitMix.mix(
      SplitMix.mix(SplitMix.mix(seed ^ tag) &+ UInt64(truncatingIfNeeded: epoch))
        &+ UInt64(truncatingIfNeeded: index))
    var transform = identity
    if augment.contains(.flip) { transform.flip = bits & 1 == 1 }
    if augment.contains(.crop) {
      // Two independent 31-bit fields scaled onto 0...2·padding (bias below 1e-8).
      let positions = UInt64(2 * padding + 1)
      transform.top = Int((((bits >> 1) & 0x7FFF_FFFF) &* positions) >> 31)
      transform.left = Int((((bits >> 33) & 0x7FFF_FFFF) &* positions) >> 31)
    }
    return transform
  }

  /// Writes `image` (channel-major bytes of `shape`) transformed and divided by 255 into
  /// `out`, which holds as many values; pixels from the padding are 0.
  @inline(__always)
  func write<Scalar: BinaryFloatingPoint>(
    _ image: UnsafeBufferPointer<UInt8>, shape: (channels: Int, rows: Int, cols: Int),
    into out: UnsafeMutableBufferPointer<Scalar>
  ) {
    let (channels, rows, cols) = shape
    let shiftY = top - Self.padding
    let shiftX = left - Self.padding
    for channel in 0..<channels {
      let plane = channel * rows * cols
      for y in 0..<rows {
        let sourceY = y + shiftY
        for x in 0..<cols {
          let sourceX = (flip ? cols - 1 - x : x) + shiftX
          let inside = (0..<rows).contains(sourceY) && (0..<cols).contains(sourceX)
          let byte = inside ? image[plane + sourceY * cols + sourceX] : 0
          out[plane + y * cols + x] = Scalar(byte) / 255
        }
      }
    }
  }

  /// "augment" in ASCII: keeps this use of the seed apart from the epoch order's.
  private static let tag: UInt64 = 0x61_7567_6d65_6e74
}
