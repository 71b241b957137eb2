@preconcurrency import Glibc

/// A POSIX call that failed, with its `errno`: "open failed: No such file or directory".
///
/// Internal: the data and checkpoint readers wrap it in their own errors, which add the file.
struct SystemCallFailure: Error, Sendable, CustomStringConvertible {
  /// The call's name, as a user would look it up (`open`, `read`, `fsync`, `rename`).
  var call: String
  /// The `errno` the call left.
  var code: Int32

  init(_ call: String, _ code: Int32) {
    self.call = call
    self.code = code
  }

  var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}
