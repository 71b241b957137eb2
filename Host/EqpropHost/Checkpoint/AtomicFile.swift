@preconcurrency import Glibc

/// Replaces a file all at once: readers, and the file after a crash or power loss, see either
/// the old content or the new one, never a mix or a half-written file.
///
/// The steps are the usual POSIX ones: write a temporary file in the same folder (a rename
/// is atomic only within one file system), `fsync` it so its data is on disk before its name,
/// `rename` it over the target, then `fsync` the folder so the rename itself is durable.
enum AtomicFile {
  /// Writes `parts`, one after another, as the new content of `path`. `beforeRename` runs
  /// once the temporary file is complete and synced (a test kills the process there).
  static func replace(
    _ path: String, with parts: [[UInt8]], beforeRename: () -> Void = {}
  ) throws(SystemCallFailure) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let temporary = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
    // O_EXCL: never write through a file or link someone else put there.
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else { throw SystemCallFailure("open", errno) }
    do throws(SystemCallFailure) {
      for part in parts { try writeAll(part, to: descriptor) }
      guard fsync(descriptor) == 0 else { throw SystemCallFailure("fsync", errno) }
    } catch {
      close(descriptor)
      unlink(temporary)
      throw error
    }
    guard close(descriptor) == 0 else {
      let failure = SystemCallFailure("close", errno)
      unlink(temporary)
      throw failure
    }
    beforeRename()
    guard rename(temporary, path) == 0 else {
      let failure = SystemCallFailure("rename", errno)
      unlink(temporary)
      throw failure
    }
    try syncFolder(folder)
  }

  /// Writes every byte of `bytes`, across short writes and interruptions.
  private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(SystemCallFailure) {
    var failure: SystemCallFailure?
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var written = 0
      while written < buffer.count {
        let result = write(descriptor, base + written, min(buffer.count - written, 1 << 30))
        if result < 0 {
          if errno == EINTR { continue }
          failure = SystemCallFailure("write", errno)
          return
        }
        written += result
      }
    }
    if let failure { throw failure }
  }

  private static func syncFolder(_ folder: String) throws(SystemCallFailure) {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw SystemCallFailure("open (folder)", errno) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw SystemCallFailure("fsync (folder)", errno) }
  }
}
