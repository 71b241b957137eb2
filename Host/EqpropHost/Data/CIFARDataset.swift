/// One split of CIFAR-10 in memory, read from the binary batch files: 32×32 colour images,
/// channel-major ([3, 32, 32]), ten classes.
public struct CIFARDataset: ByteImages {
  public let count: Int
  public var channels: Int { CIFARBatchFile.channels }
  public var rows: Int { CIFARBatchFile.side }
  public var cols: Int { CIFARBatchFile.side }
  public var classCount: Int { CIFARBatchFile.classCount }
  public let pixels: [UInt8]
  public let labels: [UInt8]

  /// The batch files of a split, in the order their examples are numbered.
  public static func fileNames(_ split: DataSplit) -> [String] {
    switch split {
    case .train: return (1...5).map { "data_batch_\($0).bin" }
    case .test: return ["test_batch.bin"]
    }
  }

  /// Whether `folder` holds CIFAR-10 batch files rather than IDX files.
  static func isFormat(of folder: String) -> Bool {
    (fileNames(.train) + fileNames(.test)).contains { file in
      (try? DataSplit.locate(file, in: folder)) != nil
    }
  }

  /// Loads `split` from `folder` (each file raw or `.gz`); with `limit`, keeps the first
  /// `limit` examples. Every file of the split must be there: a missing one would silently
  /// shrink the training set.
  public static func load(folder: String, split: DataSplit, limit: Int? = nil) throws(DataError)
    -> CIFARDataset
  {
    if let limit, limit < 0 {
      throw DataError.invalidArgument("The example limit is \(limit); expected 0 or more.")
    }
    var pixels: [UInt8] = []
    var labels: [UInt8] = []
    for name in fileNames(split) {
      if let limit, labels.count >= limit { break }
      let path: String
      do {
        path = try DataSplit.locate(name, in: folder)
      } catch {
        throw DataError.cifarFileMissing(folder: folder, name: name)
      }
      let file = try CIFARBatchFile.read(path)
      pixels += file.pixels
      labels += file.labels
    }
    let kept = min(limit ?? labels.count, labels.count)
    return CIFARDataset(
      count: kept, pixels: Array(pixels.prefix(kept * CIFARBatchFile.pixelsPerImage)),
      labels: Array(labels.prefix(kept)))
  }
}
