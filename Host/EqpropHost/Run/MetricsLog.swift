@preconcurrency import Glibc

/// metrics.jsonl, open for appending: each line goes out in one `write`, straight to the
/// kernel (no buffer in between), so a killed run loses at most the line it was writing.
final class MetricsLog {
  let path: String
  private let descriptor: Int32
  /// The file's length: where the next line goes. A checkpoint records it, and a resumed run
  /// cuts the file back to it, so lines written after the checkpoint are not duplicated.
  private(set) var offset: UInt64

  /// Opens `path` (created if needed) and cuts it to its first `offset` bytes.
  init(path: String, keeping offset: UInt64) throws(PluginFailure) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw PluginFailure("\(path): cannot be opened: \(SystemCallFailure("open", errno))")
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      close(descriptor)
      throw PluginFailure("\(path): \(SystemCallFailure("fstat", errno))")
    }
    guard UInt64(info.st_size) >= offset else {
      close(descriptor)
      throw PluginFailure(
        "\(path) holds \(info.st_size) bytes, fewer than the \(offset) the checkpoint recorded: lines "
          + "the checkpoint counts are missing (was the file edited?)")
    }
    guard ftruncate(descriptor, off_t(offset)) == 0 else {
      close(descriptor)
      throw PluginFailure(
        "\(path): cannot be cut back to \(offset) bytes: \(SystemCallFailure("ftruncate", errno))")
    }
    self.path = path
    self.descriptor = descriptor
    self.offset = offset
  }

  deinit { close(descriptor) }

  /// Appends `line` and a newline.
  func append(_ line: String) throws(PluginFailure) {
    let bytes = Array((line + "\n").utf8)
    var written = 0
    while written < bytes.count {
      let result = bytes.withUnsafeBytes { buffer in
        buffer.baseAddress.map { write(descriptor, $0 + written, buffer.count - written) } ?? 0
      }
      if result < 0 {
        if errno == EINTR { continue }
        let failure = SystemCallFailure("write", errno)
        // Take back the part that was written: the file keeps whole lines only.
        _ = ftruncate(descriptor, off_t(offset))
        throw PluginFailure("\(path): a line cannot be written: \(failure)")
      }
      written += result
    }
    offset += UInt64(bytes.count)
  }

  /// Makes the lines written so far durable, before a checkpoint records `offset`.
  func sync() throws(PluginFailure) {
    guard fsync(descriptor) == 0 else {
      throw PluginFailure("\(path): \(SystemCallFailure("fsync", errno))")
    }
  }

  /// The lines of the first `offset` bytes of `path` (none when the file is missing).
  static func lines(_ path: String, upTo offset: UInt64) -> [Substring] {
    guard let bytes = try? ReadableFile(path: path).readToEnd() else { return [] }
    return String(decoding: bytes.prefix(Int(min(offset, UInt64(bytes.count)))), as: UTF8.self)
      .split(separator: "\n")
  }
}
