/// Labelled images kept as bytes, 0 to 255, each channel-major ([channels, rows, cols]) and
/// one after another: MNIST-format IDX data and CIFAR-10 alike.
///
/// Bytes keep a split compact (47 MB for MNIST's 60 000 training images, a quarter of the same
/// as Float); `fillBatch` converts only the examples of one batch.
public protocol ByteImages: Sendable {
  /// The number of examples.
  var count: Int { get }
  var channels: Int { get }
  var rows: Int { get }
  var cols: Int { get }
  /// How many classes the labels index; every label is below it.
  var classCount: Int { get }
  /// `count × channels × rows × cols` values.
  var pixels: [UInt8] { get }
  /// `count` values in `0..<classCount`.
  var labels: [UInt8] { get }
}

extension ByteImages {
  /// The values of one image: `channels × rows × cols`.
  public var featureCount: Int { channels * rows * cols }

  /// One image's shape, [channels, rows, cols].
  public var shape: [Int] { [channels, rows, cols] }
}
