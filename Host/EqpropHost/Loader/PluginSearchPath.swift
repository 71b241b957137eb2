import Foundation

/// The folders searched for plugin libraries, in order (docs/ABI.md, "Finding plugins"):
/// each `--plugins DIR`, then the colon-separated `EQPROP_PLUGIN_PATH`, then the folder
/// holding the executable (where SwiftPM puts the `lib*.so` products).
public struct PluginSearchPath: Sendable, Equatable {
  public var folders: [String]

  public init(folders: [String]) { self.folders = folders }

  /// The standard order for this process.
  public static func standard(
    commandLine: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
    executableFolder: String? = Self.executableFolder()
  ) -> PluginSearchPath {
    var folders = commandLine
    if let variable = environment["EQPROP_PLUGIN_PATH"] {
      folders += variable.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }
    if let executableFolder { folders.append(executableFolder) }
    var seen = Set<String>()
    let unique = folders.map(Self.normalized).filter { seen.insert($0).inserted }
    return PluginSearchPath(folders: unique)
  }

  /// The folder of the running executable, from /proc/self/exe.
  public static func executableFolder() -> String? {
    guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    else { return nil }
    return (path as NSString).deletingLastPathComponent
  }

  private static func normalized(_ folder: String) -> String {
    URL(fileURLWithPath: folder).standardizedFileURL.path
  }
}
