import Foundation

/// Paths the tests need: the repository, the header, the fixtures and the build folder.
public enum RepositoryPaths {
  /// The repository root, found from this file's path (Tests/TestSupport/…).
  public static let root: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }()

  public static var includeFolder: String { root + "/Core/ABI/include" }
  public static var fixtures: String { root + "/Tests/Fixtures" }

  /// The folder holding the built `eqprop` and plugin libraries: `EQPROP_BIN_DIR` when set
  /// (.ci/run exports it), else the folder of the running test bundle, which SwiftPM puts
  /// beside them. Tests never call `swift build` themselves (it would wait on the lock).
  public static var binaryFolder: String {
    if let folder = ProcessInfo.processInfo.environment["EQPROP_BIN_DIR"] { return folder }
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
    // The test binary may sit inside an .xctest bundle folder.
    while folder.path.hasSuffix(".xctest") || folder.lastPathComponent == "Contents" {
      folder.deleteLastPathComponent()
    }
    return folder.path
  }
}

extension RepositoryPaths {
  /// MNIST for tests and CI: the shared folder beside the repository (`../shared`).
  public static var mnist: String {
    URL(fileURLWithPath: root + "/../shared/data/mnist").standardizedFileURL.path
  }
}
