@preconcurrency import Glibc

/// What `lstat` or `stat` says about a path: its kind, owner and permission bits.
struct FileStatus: Sendable {
  let isSymbolicLink: Bool
  let owner: uid_t
  /// The permission bits (`st_mode & 0o7777`).
  let permissions: mode_t

  /// The path's own status (`lstat`: a link is not followed), or the failure.
  static func of(_ path: String) -> Result<FileStatus, SystemCallFailure> {
    var info = stat()
    guard lstat(path, &info) == 0 else { return .failure(SystemCallFailure("lstat", errno)) }
    return .success(
      FileStatus(
        isSymbolicLink: info.st_mode & S_IFMT == S_IFLNK, owner: info.st_uid,
        permissions: info.st_mode & 0o7777))
  }

  /// Whether every user may write it (S_IWOTH).
  var isWorldWritable: Bool { permissions & S_IWOTH != 0 }

  /// The permission bits as `chmod` takes them: "0755".
  var octalPermissions: String {
    let digits = String(permissions, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// The absolute path with every link resolved (`realpath`), or the failure.
  static func resolved(_ path: String) -> Result<String, SystemCallFailure> {
    guard let resolved = realpath(path, nil) else {
      return .failure(SystemCallFailure("realpath", errno))
    }
    defer { free(resolved) }
    return .success(String(cString: resolved))
  }

  /// The user this process acts as (`geteuid`).
  static var effectiveUser: uid_t { geteuid() }

  /// The login name of `user`, or nil when the user database does not know it.
  static func userName(_ user: uid_t) -> String? {
    guard let entry = getpwuid(user), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
  }
}
