/// A data folder and the format of the files in it, as `--data` or `data.dir` names it.
public struct DataFolder: Sendable, CustomStringConvertible {
  public enum Format: String, Sendable {
    case idx = "MNIST-format IDX"
    case cifar10 = "CIFAR-10 binary"
  }

  /// The folder the CIFAR-10 archive (`cifar-10-binary.tar.gz`) unpacks to.
  static let cifarArchiveFolder = "cifar-10-batches-bin"

  public let path: String
  public let format: Format

  /// Resolves a name to its folder (`DataLocation`) and tells the format by the files there:
  /// CIFAR-10 batch files, in the folder or in the `cifar-10-batches-bin` the archive unpacks
  /// to, else MNIST-format IDX (whose loader says what is missing).
  public init(_ text: String) throws(DataError) {
    let folder = try DataLocation.folder(for: text)
    let unpacked = folder + "/" + Self.cifarArchiveFolder
    if CIFARDataset.isFormat(of: folder) {
      (path, format) = (folder, .cifar10)
    } else if CIFARDataset.isFormat(of: unpacked) {
      (path, format) = (unpacked, .cifar10)
    } else {
      (path, format) = (folder, .idx)
    }
  }

  /// One split, its first `limit` examples when given.
  public func load(_ split: DataSplit, limit: Int?) throws(DataError) -> any ByteImages {
    switch format {
    case .idx: return try IDXDataset.load(folder: path, split: split, limit: limit)
    case .cifar10: return try CIFARDataset.load(folder: path, split: split, limit: limit)
    }
  }

  public var description: String { "\(format.rawValue) files in \(path)" }
}
