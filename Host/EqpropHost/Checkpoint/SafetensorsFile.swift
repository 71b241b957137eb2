/// The content of a safetensors file: named tensors and string metadata.
///
/// The format (huggingface/safetensors): an 8-byte little-endian length N, N bytes of UTF-8
/// JSON (`{"__metadata__": {...}, "NAME": {"dtype", "shape", "data_offsets": [begin, end]}}`,
/// offsets counted from the first byte after the header), then the tensors' bytes, which tile
/// the rest of the file exactly.
public struct SafetensorsFile: Sendable, Equatable {
  /// The tensors, in the order of their data in the file.
  public var tensors: [SafetensorsTensor]
  public var metadata: [String: String]

  /// The largest header accepted, as the safetensors library limits it: a corrupt length
  /// cannot make a reader allocate gigabytes.
  static let maximumHeaderLength = 100_000_000

  public init(tensors: [SafetensorsTensor], metadata: [String: String] = [:]) {
    self.tensors = tensors
    self.metadata = metadata
  }

  /// The tensor called `name`, if any.
  public subscript(name: String) -> SafetensorsTensor? {
    tensors.first { $0.name == name }
  }

  /// Reads and checks the whole file at `path`: every problem found is refused with a
  /// sentence that names the file and, where one is at fault, the tensor.
  public static func read(_ path: String) throws(CheckpointError) -> SafetensorsFile {
    let bytes: [UInt8]
    do { bytes = try ReadableFile(path: path).readToEnd() } catch {
      throw CheckpointError(file: path, reason: "cannot be read: \(error)")
    }
    return try decode(bytes, file: path)
  }

  /// Reads and checks the bytes of a whole file read from `path` (named in refusals).
  static func decode(_ bytes: [UInt8], file path: String) throws(CheckpointError) -> SafetensorsFile {
    guard bytes.count >= 8 else {
      throw CheckpointError(
        file: path,
        reason: "holds \(bytes.count) bytes; a safetensors file starts with an 8-byte header "
          + "length")
    }
    let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard length <= UInt64(maximumHeaderLength) else {
      throw CheckpointError(
        file: path,
        reason: "the header length is \(length) bytes, above the \(maximumHeaderLength) the "
          + "format allows; the file is damaged or not a safetensors file")
    }
    guard length <= UInt64(bytes.count - 8) else {
      throw CheckpointError(
        file: path,
        reason: "the header length is \(length) bytes, but only \(bytes.count - 8) bytes follow "
          + "the length field")
    }
    let dataStart = 8 + Int(length)
    let header = try SafetensorsHeader.decode(
      bytes[8..<dataStart], file: path, dataLength: bytes.count - dataStart)
    let tensors = header.entries.map { entry in
      SafetensorsTensor(
        name: entry.name, dtype: entry.dtype, shape: entry.shape,
        bytes: Array(bytes[(dataStart + entry.begin)..<(dataStart + entry.end)]))
    }
    return SafetensorsFile(tensors: tensors, metadata: header.metadata)
  }
}
