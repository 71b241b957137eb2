/// The dimensions and data of one IDX file of unsigned bytes, gzip-compressed or raw.
///
/// The format (LeCun's MNIST page): two zero bytes, a type byte (0x08 for unsigned byte, the
/// only type accepted here), a dimension count, one big-endian 32-bit size per dimension, then
/// the product of the sizes in bytes, row-major, and nothing after them.
struct IDXFile: Sendable {
  let path: String
  let dimensions: [Int]
  let data: [UInt8]

  /// The IDX type code of unsigned bytes.
  static let unsignedByte: UInt8 = 0x08

  /// Reads and checks the whole file at `path`.
  static func read(_ path: String) throws(DataError) -> IDXFile {
    try read(from: openContent(of: path))
  }

  /// Reads and checks the whole content of `source`, named by its path in refusals.
  static func read(from source: any ByteSource) throws(DataError) -> IDXFile {
    let path = source.path
    let dimensions = try readHeader(source)
    var needed = 1
    for size in dimensions {
      let (product, overflow) = needed.multipliedReportingOverflow(by: size)
      guard !overflow else {
        throw DataError.badDimensions(path: path, dimensions: dimensions.map(Int64.init))
      }
      needed = product
    }
    // Never allocate more than the file can hold: a corrupt header then fails as truncated.
    var data = [UInt8](repeating: 0, count: min(needed, source.remainingBound))
    let read = try source.fill(&data)
    guard read == needed else {
      let available = read + (try source.countRemaining())
      throw DataError.truncated(
        path: path, available: available, dimensions: dimensions, needed: needed)
    }
    let extra = try source.countRemaining()
    guard extra == 0 else {
      throw DataError.trailingBytes(
        path: path, extra: extra, dimensions: dimensions, needed: needed)
    }
    return IDXFile(path: path, dimensions: dimensions, data: data)
  }

  /// Reads the magic number and the sizes, and returns the sizes.
  private static func readHeader(_ source: any ByteSource) throws(DataError) -> [Int] {
    let path = source.path
    let magic = try source.read(count: 4)
    guard magic.count == 4 else {
      throw DataError.truncatedHeader(path: path, available: magic.count, needed: 4)
    }
    guard magic[0] == 0, magic[1] == 0 else { throw DataError.badMagic(path: path, found: magic) }
    guard magic[2] == unsignedByte else {
      throw DataError.unsupportedType(path: path, typeCode: magic[2])
    }
    let rank = Int(magic[3])
    let sizes = try source.read(count: 4 * rank)
    guard sizes.count == 4 * rank else {
      throw DataError.truncatedHeader(path: path, available: 4 + sizes.count, needed: 4 + 4 * rank)
    }
    let dimensions = (0..<rank).map { axis in
      sizes[(4 * axis)..<(4 * axis + 4)].reduce(Int32(0)) { $0 << 8 | Int32($1) }
    }
    guard dimensions.allSatisfy({ $0 >= 0 }) else {
      throw DataError.badDimensions(path: path, dimensions: dimensions.map(Int64.init))
    }
    return dimensions.map(Int.init)
  }
}
