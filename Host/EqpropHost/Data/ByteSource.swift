/// A forward-only stream of a file's content: its bytes, or what its gzip data inflates to.
protocol ByteSource: AnyObject {
  /// The file the content comes from, for messages.
  var path: String { get }

  /// An upper bound on the content bytes not yet read. Readers cap allocations by it, so a
  /// corrupt header that claims terabytes fails with a message instead of exhausting memory.
  var remainingBound: Int { get }

  /// Fills `buffer` from the front and returns the count written; fewer than `buffer.count`
  /// means the content has ended.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int
}

extension ByteSource {
  /// Up to `count` bytes (fewer only at the end of the content).
  func read(count: Int) throws(DataError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let read = try fill(&bytes)
    return Array(bytes.prefix(read))
  }

  /// Fills `bytes` from the front and returns the count written.
  func fill(_ bytes: inout [UInt8]) throws(DataError) -> Int {
    var result: Result<Int, DataError> = .success(0)
    bytes.withUnsafeMutableBytes { buffer in
      do throws(DataError) { result = .success(try read(into: buffer)) } catch {
        result = .failure(error)
      }
    }
    return try result.get()
  }

  /// The rest of the content, for formats with no header to size it by (CIFAR-10).
  func readAll() throws(DataError) -> [UInt8] {
    var content: [UInt8] = []
    // 64 KiB at a time, or one byte more than the bound when that is less: content within the
    // bound is then read in one go, and the short read ends the loop.
    var chunk = [UInt8](repeating: 0, count: min(remainingBound, 1 << 16) + 1)
    while true {
      let read = try fill(&chunk)
      content += chunk.prefix(read)
      if read < chunk.count { return content }
    }
  }

  /// Reads the rest of the content and returns how many bytes it held.
  func countRemaining() throws(DataError) -> Int {
    var scratch = [UInt8](repeating: 0, count: 1 << 16)
    var total = 0
    while true {
      let read = try fill(&scratch)
      total += read
      if read < scratch.count { return total }
    }
  }
}

/// Opens `path` as a stream of its content, inflating it when it starts with gzip's magic
/// bytes (0x1f 0x8b) whatever its name.
func openContent(of path: String) throws(DataError) -> any ByteSource {
  let file: ReadableFile
  let size: Int
  let magic: [UInt8]
  do {
    file = try ReadableFile(path: path)
    size = try file.size()
    magic = try file.prefix(2)
  } catch {
    throw DataError.unreadable(path: path, reason: error.description)
  }
  return try content(of: RawSource(file: file, size: size), magic: magic)
}

/// `raw` as it is, or what it inflates to when `magic`, its first two bytes, are gzip's
/// (0x1f 0x8b): the one place that decides, for files and for bytes already in memory alike.
func content(of raw: any ByteSource, magic: [UInt8]) throws(DataError) -> any ByteSource {
  if magic == [0x1f, 0x8b] { return try GzipSource(compressed: raw) }
  return raw
}
