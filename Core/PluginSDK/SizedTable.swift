@preconcurrency import CEqprop

/// Reading a host table of an older minor: its `struct_size` may be shorter than this
/// plugin's header says, so a plain `pointee` would read past its end.
public enum SizedTable {
  /// A copy of the size-prefixed struct at `pointer`, zero beyond the struct_size it states:
  /// entries of a newer minor than the writer's read as nil. `empty` is the zeroed struct.
  public static func copy<Table>(_ pointer: UnsafePointer<Table>?, _ empty: Table) -> Table? {
    guard let pointer else { return nil }
    let stated = UnsafeRawPointer(pointer).load(as: Int.self)
    var table = empty
    withUnsafeMutableBytes(of: &table) { bytes in
      let count = min(max(stated, 0), bytes.count)
      bytes.baseAddress?.copyMemory(from: UnsafeRawPointer(pointer), byteCount: count)
    }
    return table
  }
}
