import Foundation

extension SafetensorsHeader {
  /// Parses and checks a header read from `file`, whose data part holds `dataLength` bytes:
  /// valid JSON, known dtypes, sizes that match the shapes, and offsets that tile the data
  /// exactly (in bounds, contiguous, no gap, no overlap, nothing after the last tensor).
  static func decode(
    _ json: ArraySlice<UInt8>, file: String, dataLength: Int
  ) throws(CheckpointError) -> SafetensorsHeader {
    let raw: RawHeader
    do {
      raw = try JSONDecoder().decode(RawHeader.self, from: Data(json))
    } catch let problem as FieldProblem {
      throw CheckpointError(file: file, tensor: problem.tensor, reason: problem.message)
    } catch {
      throw CheckpointError(
        file: file, reason: "the header is not a JSON object of tensor entries (\(error))")
    }
    var entries: [Entry] = []
    for (name, field) in raw.tensors {
      do throws(FieldProblem) {
        entries.append(try entry(name, field, dataLength: dataLength))
      } catch {
        throw CheckpointError(file: file, tensor: name, reason: error.message)
      }
    }
    // Data order; empty tensors sharing an offset come in name order.
    entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    try checkTiling(entries, file: file, dataLength: dataLength)
    return SafetensorsHeader(entries: entries, metadata: raw.metadata)
  }

  /// Checks one entry on its own: dtype, shape, offsets and their agreement.
  private static func entry(
    _ name: String, _ field: RawEntry, dataLength: Int
  ) throws(FieldProblem) -> Entry {
    // The writer refuses an empty name, so a file that has one was not written by eqprop.
    guard !name.isEmpty else { throw FieldProblem("the name is empty; every tensor needs one") }
    guard let dtype = SafetensorsDType(rawValue: field.dtype) else {
      throw FieldProblem(
        "dtype \(JSONText.quote(field.dtype)) is not supported; expected \"F32\" or \"F64\"")
    }
    guard field.dataOffsets.count == 2 else {
      throw FieldProblem(
        "data_offsets \(field.dataOffsets) has \(field.dataOffsets.count) numbers; expected 2 "
          + "([begin, end])")
    }
    let (begin, end) = (field.dataOffsets[0], field.dataOffsets[1])
    guard begin >= 0, begin <= end else {
      throw FieldProblem("data_offsets [\(begin), \(end)] do not form a range 0 ≤ begin ≤ end")
    }
    guard end <= dataLength else {
      throw FieldProblem(
        "data_offsets [\(begin), \(end)] reach past the end of the file, which holds "
          + "\(dataLength) data bytes after its header")
    }
    let tensor = SafetensorsTensor(name: name, dtype: dtype, shape: field.shape, bytes: [])
    guard let needed = tensor.expectedByteCount else {
      throw FieldProblem("shape \(field.shape) has a negative size or too many elements")
    }
    guard needed == end - begin else {
      throw FieldProblem(
        "shape \(field.shape) of \(dtype.rawValue) needs \(needed) bytes, but data_offsets "
          + "[\(begin), \(end)] span \(end - begin)")
    }
    return Entry(name: name, dtype: dtype, shape: field.shape, begin: begin, end: end)
  }

  /// Checks that the entries, in data order, cover `0..<dataLength` exactly once.
  private static func checkTiling(
    _ entries: [Entry], file: String, dataLength: Int
  ) throws(CheckpointError) {
    var offset = 0
    var previous: String?
    for entry in entries {
      let after = previous.map { "tensor '\($0)', which ends at byte \(offset)" }
      if entry.begin > offset {
        throw CheckpointError(
          file: file, tensor: entry.name,
          reason: "data starts at byte \(entry.begin), leaving bytes \(offset)..<\(entry.begin) "
            + "to no tensor (after \(after ?? "the header")); tensors must be contiguous")
      }
      if entry.begin < offset, let after {
        throw CheckpointError(
          file: file, tensor: entry.name,
          reason: "data_offsets [\(entry.begin), \(entry.end)] overlap \(after)")
      }
      offset = entry.end
      previous = entry.name
    }
    if offset != dataLength {
      throw CheckpointError(
        file: file,
        reason: "\(dataLength - offset) trailing byte(s) after the last tensor's data (which "
          + "ends at byte \(offset) of \(dataLength)); expected the file to end there")
    }
  }
}

/// A problem with one field of the header, as the end of a sentence.
private struct FieldProblem: Error {
  var message: String
  /// The tensor whose entry holds the field, when known.
  var tensor: String?

  init(_ message: String, tensor: String? = nil) {
    self.message = message
    self.tensor = tensor
  }
}

/// One tensor's entry as the JSON holds it, before any check.
private struct RawEntry: Decodable {
  var dtype: String
  var shape: [Int]
  var dataOffsets: [Int]

  private enum Key: String, CodingKey {
    case dtype, shape
    case dataOffsets = "data_offsets"
  }

  init(from decoder: any Decoder) throws {
    guard let fields = try? decoder.container(keyedBy: Key.self) else {
      throw FieldProblem("the entry is not a JSON object")
    }
    guard let dtype = try? fields.decode(String.self, forKey: .dtype) else {
      throw FieldProblem("\"dtype\" is missing or not a string")
    }
    guard let shape = try? fields.decode([Int].self, forKey: .shape) else {
      throw FieldProblem("\"shape\" is missing or not an array of integers")
    }
    guard let offsets = try? fields.decode([Int].self, forKey: .dataOffsets) else {
      throw FieldProblem("\"data_offsets\" is missing or not an array of integers")
    }
    self.dtype = dtype
    self.shape = shape
    self.dataOffsets = offsets
  }
}

/// The header as the JSON holds it: metadata, and each tensor's entry or what is wrong with it.
private struct RawHeader: Decodable {
  var metadata: [String: String] = [:]
  var tensors: [(String, RawEntry)] = []

  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    for key in container.allKeys {
      if key.stringValue == SafetensorsHeader.metadataKey {
        guard let metadata = try? container.decode([String: String].self, forKey: key) else {
          throw FieldProblem("\"__metadata__\" is not a JSON object mapping strings to strings")
        }
        self.metadata = metadata
        continue
      }
      do {
        tensors.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
      } catch let problem as FieldProblem {
        throw FieldProblem(problem.message, tensor: key.stringValue)
      }
    }
  }
}
