@preconcurrency import CEqprop

/// Writes a plugin's value into an out-struct the caller sized (the ABI's write rule): no byte
/// past the caller's struct_size, which ends as the smaller of the two sizes.
public enum OutStruct {
  /// Copies `value` (whose first field is `size_t struct_size`) into `out`.
  public static func write<T>(_ value: T, to out: UnsafeMutablePointer<T>) {
    let callerSize = UnsafeRawPointer(out).load(as: Int.self)
    var copy = value
    let ownSize = withUnsafeBytes(of: &copy) { $0.load(as: Int.self) }
    let size = min(callerSize, ownSize, MemoryLayout<T>.size)
    withUnsafeMutableBytes(of: &copy) { bytes in
      bytes.storeBytes(of: size, as: Int.self)
      if let base = bytes.baseAddress { UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: size) }
    }
  }
}
