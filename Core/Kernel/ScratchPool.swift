import Synchronization

/// Reusable scratch memory for the ops that need a workspace (convolutions: im2col columns,
/// repacked weights, lists of nonzeros).
///
/// A call takes one buffer, uses it and gives it back, so calls that run at the same time get
/// different buffers (the kernel is thread-safe) and a step loop allocates only on its first
/// call, or when a larger size is asked for: the pool keeps as many buffers as calls ever ran
/// at once, each the largest size it served. They live until the process exits, like the
/// kernel table. The lock is held only to pop or push an address, never during the math.
enum ScratchPool {
  /// A buffer and its size in bytes. Sendable by hand: a buffer is either in the free list
  /// or owned by the one call that took it, never shared.
  private struct Buffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let bytes: Int
  }

  private static let free = Mutex<[Buffer]>([])

  /// Alignment of every buffer: a cache line, more than any element needs.
  static let alignment = 64

  /// Runs `body` with at least `bytes` bytes of uninitialised memory aligned to 64 bytes,
  /// valid until body returns.
  static func with<R>(bytes: Int, _ body: (UnsafeMutableRawPointer) -> R) -> R {
    let buffer = take(max(bytes, 1))
    defer { free.withLock { $0.append(buffer) } }
    return body(buffer.pointer)
  }

  /// The largest free buffer, grown to `bytes` when it is smaller (or a new one).
  private static func take(_ bytes: Int) -> Buffer {
    let largest: Buffer? = free.withLock { list in
      guard let index = list.indices.max(by: { list[$0].bytes < list[$1].bytes }) else {
        return nil
      }
      return list.remove(at: index)
    }
    if let largest, largest.bytes >= bytes { return largest }
    largest?.pointer.deallocate()
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
    return Buffer(pointer: pointer, bytes: bytes)
  }
}
