@preconcurrency import Glibc

/// A file opened read-only with POSIX `open`, closed when the object goes away.
///
/// Reads go straight into the caller's buffer, so loading a 47 MB IDX file or a checkpoint
/// touches each byte once, with no intermediate copy.
final class ReadableFile {
  let path: String
  private let descriptor: Int32

  /// Opens `path` for reading.
  init(path: String) throws(SystemCallFailure) {
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw SystemCallFailure("open", errno) }
    self.path = path
    self.descriptor = descriptor
  }

  deinit { _ = Glibc.close(descriptor) }

  /// The file's size in bytes, from `fstat`.
  func size() throws(SystemCallFailure) -> Int {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw SystemCallFailure("fstat", errno) }
    return Int(info.st_size)
  }

  /// The first `count` bytes or fewer, read with `pread` so the file position stays at 0.
  func prefix(_ count: Int) throws(SystemCallFailure) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var result = 0
    while true {
      result = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, 0) }
      if result >= 0 || errno != EINTR { break }
    }
    guard result >= 0 else { throw SystemCallFailure("pread", errno) }
    return Array(bytes.prefix(result))
  }

  /// Fills `buffer` from the current position and returns the count read; fewer than
  /// `buffer.count` only when the file ends.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallFailure) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var filled = 0
    while filled < buffer.count {
      // Linux's read(2) returns at most 0x7ffff000 bytes per call; ask for 1 GiB at a time.
      let request = min(buffer.count - filled, 1 << 30)
      let result = Glibc.read(descriptor, base + filled, request)
      if result < 0 {
        if errno == EINTR { continue }
        throw SystemCallFailure("read", errno)
      }
      if result == 0 { break }
      filled += result
    }
    return filled
  }

  /// The whole file from the current position to its end.
  func readToEnd() throws(SystemCallFailure) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: try size())
    var failure: SystemCallFailure?
    var count = 0
    bytes.withUnsafeMutableBytes { buffer in
      do throws(SystemCallFailure) { count = try read(into: buffer) } catch { failure = error }
    }
    if let failure { throw failure }
    // The file may have shrunk between fstat and read; keep what was there.
    if count < bytes.count { bytes.removeSubrange(count...) }
    return bytes
  }
}
