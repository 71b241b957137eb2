@preconcurrency import CEqprop

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// Memory for the static data of a plugin library (descriptors, names, option lists), which
/// the ABI requires to live as long as the process. Nothing here is ever freed.
public enum PermanentStorage {
  /// A NUL-terminated copy of `string` that is never freed.
  public static func cString(_ string: String) -> UnsafePointer<CChar> {
    let bytes = Array(string.utf8CString)
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    buffer.initialize(from: bytes, count: bytes.count)
    return UnsafePointer(buffer)
  }

  /// `cString` for an optional string; nil stays NULL.
  public static func cString(_ string: String?) -> UnsafePointer<CChar>? {
    string.map { cString($0) }
  }

  /// A never-freed copy of `value`.
  public static func value<T>(_ value: T) -> UnsafePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
    pointer.initialize(to: value)
    return UnsafePointer(pointer)
  }

  /// A never-freed array of pointers to never-freed copies of `values`: the ABI's layout for
  /// arrays of versioned structs.
  public static func pointerArray<T>(_ values: [T]) -> UnsafePointer<UnsafePointer<T>?>? {
    if values.isEmpty { return nil }
    let array = UnsafeMutablePointer<UnsafePointer<T>?>.allocate(capacity: values.count)
    for (index, element) in values.enumerated() {
      (array + index).initialize(to: value(element))
    }
    return UnsafePointer(array)
  }

  /// A never-freed copy of an array of plain values (shapes).
  public static func array<T>(_ values: [T]) -> UnsafePointer<T>? {
    if values.isEmpty { return nil }
    let array = UnsafeMutablePointer<T>.allocate(capacity: values.count)
    array.initialize(from: values, count: values.count)
    return UnsafePointer(array)
  }
}
