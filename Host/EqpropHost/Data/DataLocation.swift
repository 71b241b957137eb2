import Foundation

/// Resolves `--data` (or `data.dir`) to a folder: a data set's name to where it is installed,
/// any other text as a path.
///
/// A text without '/' that is a name means the data set even when a folder of that name is
/// in the working directory (write `./mnist` for that folder), so a config means the same
/// wherever it is run.
public enum DataLocation {
  /// The data set of a config that names none: one `apt-get install` away.
  public static let defaultName = "fashion-mnist"
  public static let names = ["mnist", "fashion-mnist"]

  /// Where Debian's `dataset-fashion-mnist` puts the four IDX files.
  public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"

  /// The folder `text` designates; a name whose data set is not found is refused with the
  /// places looked in and what would provide it.
  public static func folder(for text: String) throws(DataError) -> String {
    switch text {
    case "", "fashion-mnist":
      guard exists(fashionMNISTFolder) else {
        throw DataError.dataSetMissing(
          name: "fashion-mnist", looked: [fashionMNISTFolder],
          remedy: "install Debian's package with `apt-get install dataset-fashion-mnist`")
      }
      return fashionMNISTFolder
    case "mnist":
      let candidates = mnistCandidates()
      guard let found = candidates.first(where: exists) else {
        throw DataError.dataSetMissing(
          name: "mnist", looked: candidates,
          remedy: "MNIST has no Debian package: set EQPROP_MNIST_DIR to a folder holding its "
            + "four IDX files (gzip or raw)")
      }
      return found
    default:
      return text
    }
  }

  /// `EQPROP_MNIST_DIR` when set, then the `shared/data/mnist` beside the repository this
  /// executable was built in (where the tests and CI keep it).
  static func mnistCandidates() -> [String] {
    var candidates: [String] = []
    if let folder = ProcessInfo.processInfo.environment["EQPROP_MNIST_DIR"], !folder.isEmpty {
      candidates.append(folder)
    }
    if let repository = repositoryOfExecutable() {
      candidates.append(
        URL(fileURLWithPath: repository + "/../shared/data/mnist").standardizedFileURL.path)
    }
    return candidates
  }

  /// The nearest folder above the executable that holds a `Package.swift`: the checkout a
  /// `swift build` ran in.
  private static func repositoryOfExecutable() -> String? {
    guard var folder = PluginSearchPath.executableFolder().map(URL.init(fileURLWithPath:)) else {
      return nil
    }
    while folder.path != "/" {
      let manifest = folder.path + "/Package.swift"
      if FileManager.default.fileExists(atPath: manifest) { return folder.path }
      folder.deleteLastPathComponent()
    }
    return nil
  }

  private static func exists(_ folder: String) -> Bool {
    var isFolder: ObjCBool = false
    let found = FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
    return found && isFolder.boolValue
  }
}
