@preconcurrency import Glibc

/// A shared library opened with `dlopen(RTLD_NOW | RTLD_LOCAL)`.
///
/// Never closed: a library that contains Swift cannot be unloaded safely (STYLE §6), and the
/// host keeps every handle until exit.
struct DynamicLibrary: @unchecked Sendable {
  let path: String
  private let handle: UnsafeMutableRawPointer

  /// Opens `path`; RTLD_NOW makes a missing symbol fail here rather than mid-training.
  static func open(_ path: String) -> Result<DynamicLibrary, LoadFailure> {
    _ = dlerror()
    guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
      return .failure(LoadFailure("dlopen failed: \(lastError() ?? "no reason given")"))
    }
    return .success(DynamicLibrary(path: path, handle: handle))
  }

  /// The address of `name`, or a failure quoting dlerror().
  func symbol(_ name: String) -> Result<UnsafeMutableRawPointer, LoadFailure> {
    _ = dlerror()
    if let address = dlsym(handle, name) { return .success(address) }
    let reason = Self.lastError() ?? "the symbol is NULL"
    return .failure(LoadFailure("does not export `\(name)` (\(reason))"))
  }

  private static func lastError() -> String? {
    guard let message = dlerror() else { return nil }
    return String(cString: message)
  }
}

/// Why a library could not be opened or used; `message` is a sentence fragment that the
/// loader prefixes with the file's path.
struct LoadFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}
