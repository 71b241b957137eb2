@preconcurrency import CZlib

/// The content of a gzip file, inflated with zlib's streaming API as the caller reads it.
///
/// Several concatenated gzip members are read one after another, as `gzip -d` reads them;
/// anything else after the last member is refused. zlib checks each member's CRC-32 and length
/// when it reaches the member's end, so a damaged file fails here rather than feeding a model.
final class GzipSource: ByteSource {
  /// Deflate expands data at most 1032:1 (zlib's technical notes), which bounds the content.
  private static let maximumRatio = 1032
  /// How much compressed data is read from the file at a time.
  private static let chunkSize = 1 << 18

  private let compressed: any ByteSource
  private let compressedSize: Int
  private let stream: UnsafeMutablePointer<z_stream>
  private let input: UnsafeMutableRawBufferPointer
  private var compressedRead = 0
  private var produced = 0
  private var fileEnded = false
  private var finished = false

  /// Inflates what `compressed` holds from here to its end.
  init(compressed: any ByteSource) throws(DataError) {
    self.compressed = compressed
    self.compressedSize = compressed.remainingBound
    // zlib keeps a pointer back to the z_stream, so it must not move: allocate it once.
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    input = .allocate(byteCount: Self.chunkSize, alignment: 16)
    // inflateInit2 is a macro; this is its expansion. 15 + 32: a 32 KiB window, and detect a
    // gzip (or zlib) header by itself.
    let status = inflateInit2_(
      stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else { throw corrupt("zlib could not start: \(message(status))") }
  }

  deinit {
    inflateEnd(stream)  // Harmless when init failed: zlib refuses a stream it never set up.
    stream.deinitialize(count: 1)
    stream.deallocate()
    input.deallocate()
  }

  var path: String { compressed.path }

  var remainingBound: Int {
    let (total, overflow) = compressedSize.multipliedReportingOverflow(by: Self.maximumRatio)
    return overflow ? Int.max : max(0, total - produced)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var filled = 0
    while filled < buffer.count && !finished {
      let request = min(buffer.count - filled, Int(UInt32.max))
      stream.pointee.next_out = (base + filled).assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_out = uInt(request)
      if stream.pointee.avail_in == 0 { try refill() }
      let status = inflate(stream, Z_NO_FLUSH)
      filled += request - Int(stream.pointee.avail_out)
      switch status {
      case Z_OK:
        continue
      case Z_STREAM_END:
        try startNextMember()
      case Z_BUF_ERROR where stream.pointee.avail_in == 0 && fileEnded:
        throw corrupt("the file ends inside its gzip stream (truncated)")
      case Z_BUF_ERROR:
        continue  // No progress this time; more input or output space comes next turn.
      default:
        throw corrupt(message(status))
      }
    }
    produced += filled
    return filled
  }

  /// After a member ends: stops at the end of the file, or starts the next gzip member.
  private func startNextMember() throws(DataError) {
    if stream.pointee.avail_in < 2 && !fileEnded { try refill() }
    let available = Int(stream.pointee.avail_in)
    if available == 0 {
      finished = true
      return
    }
    guard available >= 2, let next = stream.pointee.next_in, next[0] == 0x1f, next[1] == 0x8b
    else {
      let extra = available + max(0, compressedSize - compressedRead)
      throw corrupt("\(extra) byte(s) after the end of the gzip stream are not another gzip member")
    }
    inflateReset(stream)
  }

  /// Moves unread input to the front of the buffer and reads more compressed data behind it.
  private func refill() throws(DataError) {
    guard !fileEnded, let base = input.baseAddress else { return }
    let leftover = Int(stream.pointee.avail_in)
    if leftover > 0, let next = stream.pointee.next_in {
      base.copyMemory(from: next, byteCount: leftover)  // Regions may overlap: a memmove.
    }
    let space = UnsafeMutableRawBufferPointer(rebasing: input[leftover...])
    let read = try compressed.read(into: space)
    compressedRead += read
    if read < space.count { fileEnded = true }
    stream.pointee.next_in = base.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_in = uInt(leftover + read)
  }

  private func corrupt(_ reason: String) -> DataError {
    DataError.corruptGzip(path: path, reason: reason)
  }

  /// zlib's own message when it left one, else the meaning of `status`.
  private func message(_ status: Int32) -> String {
    if let text = stream.pointee.msg { return "zlib says \"\(String(cString: text))\"" }
    switch status {
    case Z_DATA_ERROR: return "the compressed data is invalid"
    case Z_NEED_DICT: return "the stream needs a preset dictionary, which gzip files never use"
    case Z_MEM_ERROR: return "zlib ran out of memory"
    case Z_VERSION_ERROR: return "the zlib library is incompatible with its header"
    default: return "zlib returned status \(status)"
    }
  }
}
