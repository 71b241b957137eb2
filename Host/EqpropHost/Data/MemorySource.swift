/// Bytes already in memory, read as a file's bytes are: what the fuzz targets (Tests/Fuzz)
/// feed the readers, with no file system in between.
final class MemorySource: ByteSource {
  let path: String
  private let bytes: [UInt8]
  private var position = 0

  /// `path` only names the bytes in messages; nothing is opened.
  init(_ bytes: [UInt8], path: String) {
    self.bytes = bytes
    self.path = path
  }

  var remainingBound: Int { bytes.count - position }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
    let count = min(buffer.count, bytes.count - position)
    bytes[position..<(position + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
    position += count
    return count
  }
}

/// The content of a file whose bytes are `bytes`, as `openContent(of:)` opens a file: raw,
/// or inflated when it starts with gzip's magic bytes.
func openContent(bytes: [UInt8], path: String) throws(DataError) -> any ByteSource {
  try content(of: MemorySource(bytes, path: path), magic: Array(bytes.prefix(2)))
}
