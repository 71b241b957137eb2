@preconcurrency import Glibc

/// One of the two splits of an MNIST-format dataset, and where its files are.
public enum DataSplit: String, Sendable, CaseIterable {
  case train
  case test

  /// The images file's name without `.gz`; MNIST names the test split "t10k".
  public var imagesName: String { "\(stem)-images-idx3-ubyte" }

  /// The labels file's name without `.gz`.
  public var labelsName: String { "\(stem)-labels-idx1-ubyte" }

  private var stem: String {
    switch self {
    case .train: return "train"
    case .test: return "t10k"
    }
  }

  /// The path of `name` in `folder`: the raw file when it exists, else `name.gz`.
  ///
  /// The raw file wins when both exist: it reads at disk speed, with no inflating, and someone
  /// who unpacked the `.gz` beside itself meant it to be used.
  static func locate(_ name: String, in folder: String) throws(DataError) -> String {
    let raw = "\(folder)/\(name)"
    if access(raw, F_OK) == 0 { return raw }
    let compressed = raw + ".gz"
    if access(compressed, F_OK) == 0 { return compressed }
    throw DataError.notFound(folder: folder, name: name, folderExists: access(folder, F_OK) == 0)
  }
}
