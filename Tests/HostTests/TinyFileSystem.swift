import Foundation
import TestSupport

/// A tmpfs of a few bytes mounted for a test, to fill a disk or make a folder read-only
/// without touching the machine's own file systems.
struct TinyFileSystem {
  let path: String

  /// Mounts one of `bytes` at `path` (created); nil where mounting is not allowed (a user
  /// other than root, a container without the capability).
  init?(at path: String, bytes: Int, readOnly: Bool = false) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let options = "size=\(bytes)" + (readOnly ? ",ro" : "")
    let mounted = try ProcessRunner.run(
      "/usr/bin/env", ["mount", "-t", "tmpfs", "-o", options, "tmpfs", path])
    guard mounted.status == 0 else { return nil }
    self.path = path
  }

  func unmount() {
    _ = try? ProcessRunner.run("/usr/bin/env", ["umount", path])
  }
}
