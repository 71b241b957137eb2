/// An uncompressed file's bytes, read straight into the caller's buffer.
final class RawSource: ByteSource {
  private let file: ReadableFile
  private let size: Int
  private var position = 0

  init(file: ReadableFile, size: Int) {
    self.file = file
    self.size = size
  }

  var path: String { file.path }

  var remainingBound: Int { max(0, size - position) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
    do {
      let count = try file.read(into: buffer)
      position += count
      return count
    } catch {
      throw DataError.unreadable(path: path, reason: error.description)
    }
  }
}
