@preconcurrency import Glibc

/// An exclusive `flock` on a run folder's `.lock`, held for the whole run, so two runs never
/// write into one folder at once. The kernel drops it when the process ends, however it
/// ends, so a killed run leaves no stale lock; the pid written into the file only names the
/// holder in the refusal.
final class RunLock {
  private let descriptor: Int32

  /// Takes the lock of `folder`, or refuses naming the folder and the pid holding it.
  init(folder: String) throws(PluginFailure) {
    let path = folder + "/" + RunFolder.lockName
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw PluginFailure(
        "\(path): cannot be opened to lock the run folder: \(SystemCallFailure("open", errno))")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      let code = errno
      let holder = Self.recordedPid(descriptor)
      close(descriptor)
      guard code == EWOULDBLOCK else {
        throw PluginFailure("\(path): cannot be locked: \(SystemCallFailure("flock", code))")
      }
      throw PluginFailure(
        "\(folder) is in use by another eqprop train\(holder.map { " (pid \($0))" } ?? ""); two runs "
          + "never write into one folder: wait for it to end, or train into another folder with --out"
      )
    }
    self.descriptor = descriptor
    let pid = Array("\(getpid())\n".utf8)
    // The pid is a courtesy for the next refusal; the lock holds without it.
    if ftruncate(descriptor, 0) == 0 {
      _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }
  }

  deinit { close(descriptor) }

  /// The pid the holder wrote, if the file holds one of a live process (a holder that is not
  /// eqprop, such as flock(1), writes none, and an earlier run's pid is no longer alive).
  private static func recordedPid(_ descriptor: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { return nil }
    let text = String(decoding: buffer.prefix(count), as: UTF8.self)
    guard let pid = text.split(whereSeparator: \.isWhitespace).first.flatMap({ Int32($0) }),
      pid > 0,
      kill(pid, 0) == 0
    else { return nil }
    return pid
  }
}
