/// The JSON header of a safetensors file: where each tensor's bytes lie in the data that
/// follows it, and free-form string metadata.
struct SafetensorsHeader: Sendable {
  /// One tensor's entry; `begin` and `end` count bytes from the first byte after the header.
  struct Entry: Sendable {
    var name: String
    var dtype: SafetensorsDType
    var shape: [Int]
    var begin: Int
    var end: Int
  }

  /// The header's key for metadata; no tensor may take this name.
  static let metadataKey = "__metadata__"

  /// The entries in the order of their data.
  var entries: [Entry]
  var metadata: [String: String]

  /// A header that lays out `tensors` one after another, in the order given.
  init(laying tensors: [SafetensorsTensor], metadata: [String: String]) {
    var offset = 0
    entries = tensors.map { tensor in
      defer { offset += tensor.bytes.count }
      return Entry(
        name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, begin: offset,
        end: offset + tensor.bytes.count)
    }
    self.metadata = metadata
  }

  init(entries: [Entry], metadata: [String: String]) {
    self.entries = entries
    self.metadata = metadata
  }

  /// The header as UTF-8 JSON, padded with spaces so that the data after it (and the 8-byte
  /// length before it) starts at a multiple of 8, as the safetensors library pads it.
  ///
  /// Keys come out in a fixed order (metadata sorted, tensors in data order), so the same
  /// tensors always give the same bytes.
  func encoded() -> [UInt8] {
    var members: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.sorted { $0.key < $1.key }
        .map { JSONText.quote($0.key) + ":" + JSONText.quote($0.value) }
      members.append(JSONText.quote(Self.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
    }
    for entry in entries {
      let shape = entry.shape.map(String.init).joined(separator: ",")
      members.append(
        JSONText.quote(entry.name) + ":{\"dtype\":" + JSONText.quote(entry.dtype.rawValue)
          + ",\"shape\":[" + shape + "],\"data_offsets\":[\(entry.begin),\(entry.end)]}")
    }
    var bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
    return bytes
  }
}
