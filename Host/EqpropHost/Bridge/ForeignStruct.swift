/// A C struct filled by the other side of the ABI, read only as far as its `struct_size`
/// reaches (STYLE §2.2's read rule). Every versioned struct starts with `size_t struct_size`.
struct ForeignStruct<T> {
  let base: UnsafeRawPointer
  /// The other side's struct_size.
  let size: Int

  init(_ pointer: UnsafeRawPointer) {
    base = pointer
    size = pointer.load(as: Int.self)
  }

  /// Whether the other side's struct reaches the end of `field`.
  func has<F>(_ field: KeyPath<T, F>) -> Bool {
    guard let offset = MemoryLayout<T>.offset(of: field) else { return false }
    return size >= offset + MemoryLayout<F>.size
  }

  /// The field's value, or nil when the struct ends before it.
  func read<F>(_ field: KeyPath<T, F>) -> F? {
    guard let offset = MemoryLayout<T>.offset(of: field),
      size >= offset + MemoryLayout<F>.size
    else { return nil }
    return base.load(fromByteOffset: offset, as: F.self)
  }

  /// A full-size local copy in which every field beyond struct_size reads as zero/NULL
  /// ("absent, use the default"). Copies whole 8-byte words only, so a struct_size that ends
  /// inside a pointer never yields half a pointer.
  func zeroExtendedCopy(_ empty: T) -> T {
    var copy = empty
    let count = min(size, MemoryLayout<T>.size) & ~7
    withUnsafeMutableBytes(of: &copy) { bytes in
      guard let destination = bytes.baseAddress else { return }
      destination.copyMemory(from: base, byteCount: count)
      // The copied struct_size must describe the copy, not the original.
      destination.storeBytes(of: count, as: Int.self)
    }
    return copy
  }
}
