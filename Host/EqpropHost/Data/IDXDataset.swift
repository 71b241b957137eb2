/// One split of an MNIST-format dataset in memory: images as bytes, row-major, one after
/// another, and one label byte per image.
public struct IDXDataset: ByteImages {
  /// The number of examples.
  public let count: Int
  /// The height of each image in pixels (28 for MNIST).
  public let rows: Int
  /// The width of each image in pixels (28 for MNIST).
  public let cols: Int
  /// How many classes the labels index; every label is below it.
  public let classCount: Int
  /// `count × rows × cols` values, 0 (background) to 255 (ink).
  public let pixels: [UInt8]
  /// `count` values in `0..<classCount`.
  public let labels: [UInt8]
  /// MNIST-format images are grey: one channel.
  public var channels: Int { 1 }

  /// Loads `split` from `folder` (each file raw or `.gz`) and checks that the two files agree
  /// and every label is below `classCount`; with `limit`, keeps only the first `limit`
  /// examples (all of them when the split has fewer).
  public static func load(
    folder: String, split: DataSplit, classCount: Int = 10, limit: Int? = nil
  ) throws(DataError) -> IDXDataset {
    guard (1...256).contains(classCount) else {
      throw DataError.invalidArgument(
        "The class count is \(classCount); byte labels need a count in 1...256.")
    }
    if let limit, limit < 0 {
      throw DataError.invalidArgument("The example limit is \(limit); expected 0 or more.")
    }
    let images = try IDXFile.read(DataSplit.locate(split.imagesName, in: folder))
    guard images.dimensions.count == 3 else {
      throw DataError.wrongRank(
        path: images.path, dimensions: images.dimensions, expected: 3, layout: "count×rows×cols")
    }
    let labels = try IDXFile.read(DataSplit.locate(split.labelsName, in: folder))
    guard labels.dimensions.count == 1 else {
      throw DataError.wrongRank(
        path: labels.path, dimensions: labels.dimensions, expected: 1, layout: "count")
    }
    guard images.dimensions[0] == labels.dimensions[0] else {
      throw DataError.countMismatch(
        images: images.path, imageCount: images.dimensions[0], labels: labels.path,
        labelCount: labels.dimensions[0])
    }
    if let index = labels.data.firstIndex(where: { Int($0) >= classCount }) {
      throw DataError.badLabel(
        path: labels.path, index: index, value: labels.data[index], classCount: classCount)
    }
    let dataset = IDXDataset(
      rows: images.dimensions[1], cols: images.dimensions[2], classCount: classCount,
      pixels: images.data, labels: labels.data)
    guard let limit else { return dataset }
    return dataset.prefix(limit)
  }

  /// A split made of `pixels` and `labels` as they are; `load` checks them first.
  init(rows: Int, cols: Int, classCount: Int, pixels: [UInt8], labels: [UInt8]) {
    self.count = labels.count
    self.rows = rows
    self.cols = cols
    self.classCount = classCount
    self.pixels = pixels
    self.labels = labels
  }

  /// The first `maxCount` examples (all of them when there are fewer), in a copy that lets the
  /// full split's memory go.
  public func prefix(_ maxCount: Int) -> IDXDataset {
    let kept = max(0, min(maxCount, count))
    if kept == count { return self }
    return IDXDataset(
      rows: rows, cols: cols, classCount: classCount,
      pixels: Array(pixels[0..<(kept * featureCount)]), labels: Array(labels[0..<kept]))
  }
}
