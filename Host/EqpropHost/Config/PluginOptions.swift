@preconcurrency import Glibc

/// A resolved config section handed to a plugin as `EQP_Options *`.
///
/// Keys are paths inside the section: `beta`, `layers[2]`, `blocks[0].kernel`. C strings
/// returned by `get_str` are kept here, so they live as long as the handle.
public final class PluginOptions {
  public let path: String
  public let values: ConfigValue
  let cPath: UnsafeMutablePointer<CChar>
  private var strings: [String: UnsafeMutablePointer<CChar>] = [:]

  public init(values: ConfigValue, path: String) {
    self.values = values
    self.path = path
    cPath = strdup(path)
  }

  deinit {
    free(cPath)
    for pointer in strings.values { free(pointer) }
  }

  /// The opaque pointer plugins receive; valid while this object is alive.
  public var pointer: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

  static func from(_ pointer: OpaquePointer) -> PluginOptions {
    Unmanaged<PluginOptions>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  /// The value at a key path ("layers[2]", "conv[0].kernel"), or nil.
  func lookup(_ key: String) -> ConfigValue? {
    ConfigKeyPath(key).flatMap { values[$0] }
  }

  /// A C copy of a string value, owned by this handle.
  func cString(_ key: String, _ value: String) -> UnsafePointer<CChar> {
    if let existing = strings[key] {
      if String(cString: existing) == value { return UnsafePointer(existing) }
      free(existing)
    }
    // strdup fails only when memory is exhausted; an empty literal keeps the call total.
    guard let copy = strdup(value) else { return UnsafePointer(cPath) }
    strings[key] = copy
    return UnsafePointer(copy)
  }
}
