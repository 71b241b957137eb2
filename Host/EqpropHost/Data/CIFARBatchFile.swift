/// One CIFAR-10 binary batch file (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`),
/// raw or gzip-compressed.
///
/// The format (the CIFAR-10 page, "binary version"): records one after another and nothing
/// else; each record is 1 label byte (0–9) then 3072 pixel bytes, the 1024 red values of the
/// 32×32 image row by row, then the green, then the blue.
struct CIFARBatchFile: Sendable {
  static let channels = 3
  static let side = 32
  static let classCount = 10
  static let pixelsPerImage = channels * side * side
  static let recordSize = 1 + pixelsPerImage

  let path: String
  /// `count × 3072` values, channel-major per image.
  let pixels: [UInt8]
  let labels: [UInt8]

  /// Reads and checks the whole file: a whole, non-zero number of records, every label < 10.
  static func read(_ path: String) throws(DataError) -> CIFARBatchFile {
    try read(from: openContent(of: path))
  }

  /// Reads and checks the whole content of `source`, named by its path in refusals.
  static func read(from source: any ByteSource) throws(DataError) -> CIFARBatchFile {
    let path = source.path
    let bytes = try source.readAll()
    guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
      throw DataError.partialRecord(path: path, size: bytes.count, recordSize: recordSize)
    }
    let count = bytes.count / recordSize
    var pixels = [UInt8](repeating: 0, count: count * pixelsPerImage)
    var labels = [UInt8](repeating: 0, count: count)
    for record in 0..<count {
      let start = record * recordSize
      guard bytes[start] < classCount else {
        throw DataError.badLabel(
          path: path, index: record, value: bytes[start], classCount: classCount)
      }
      labels[record] = bytes[start]
      pixels.replaceSubrange(
        (record * pixelsPerImage)..<((record + 1) * pixelsPerImage),
        with: bytes[(start + 1)..<(start + recordSize)])
    }
    return CIFARBatchFile(path: path, pixels: pixels, labels: labels)
  }
}
