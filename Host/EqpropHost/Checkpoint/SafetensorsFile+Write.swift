extension SafetensorsFile {
  /// Writes `tensors`, in the order given, and `metadata` to `path`, atomically: a reader or a
  /// crash sees the old file or the new one, never a half-written one (see `AtomicFile`).
  ///
  /// Refuses, before touching the disk, a tensor whose bytes do not match its shape and dtype,
  /// an empty or reserved name, and a name used twice.
  public static func write(
    tensors: [SafetensorsTensor], metadata: [String: String] = [:], to path: String
  ) throws(CheckpointError) {
    let parts = try encoded(tensors: tensors, metadata: metadata, for: path)
    do {
      try AtomicFile.replace(path, with: parts)
    } catch {
      throw CheckpointError(file: path, reason: "cannot be written: \(error)")
    }
  }

  /// The bytes of the file `write` makes, in parts (length, header, each tensor's data):
  /// checked as `write` describes, with `path` named in any refusal.
  static func encoded(
    tensors: [SafetensorsTensor], metadata: [String: String], for path: String
  ) throws(CheckpointError) -> [[UInt8]] {
    var names = Set<String>()
    for tensor in tensors {
      guard !tensor.name.isEmpty, tensor.name != SafetensorsHeader.metadataKey else {
        throw CheckpointError(
          file: path, tensor: tensor.name,
          reason: "the name is empty or reserved for metadata; choose another")
      }
      guard names.insert(tensor.name).inserted else {
        throw CheckpointError(
          file: path, tensor: tensor.name, reason: "another tensor has this name; names are unique")
      }
      guard let needed = tensor.expectedByteCount else {
        throw CheckpointError(
          file: path, tensor: tensor.name,
          reason: "shape \(tensor.shape) has a negative size or too many elements")
      }
      guard needed == tensor.bytes.count else {
        throw CheckpointError(
          file: path, tensor: tensor.name,
          reason: "shape \(tensor.shape) of \(tensor.dtype.rawValue) needs \(needed) bytes, "
            + "but the tensor holds \(tensor.bytes.count)")
      }
    }
    let header = SafetensorsHeader(laying: tensors, metadata: metadata).encoded()
    let length = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
    return [length, header] + tensors.map(\.bytes)
  }

  /// Writes this content to `path` atomically; see `write(tensors:metadata:to:)`.
  public func write(to path: String) throws(CheckpointError) {
    try Self.write(tensors: tensors, metadata: metadata, to: path)
  }
}
