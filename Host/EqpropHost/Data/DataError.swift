/// Why a dataset could not be loaded or a batch filled, as a sentence that names the file and
/// says what was expected and what was found.
public enum DataError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Neither `name` nor `name.gz` is in `folder`.
  case notFound(folder: String, name: String, folderExists: Bool)
  /// A data set given by name is in none of the places it is looked for.
  case dataSetMissing(name: String, looked: [String], remedy: String)
  /// A folder of CIFAR-10 batch files lacks one its split needs.
  case cifarFileMissing(folder: String, name: String)
  /// A CIFAR-10 batch file is empty or ends inside a record.
  case partialRecord(path: String, size: Int, recordSize: Int)
  /// A system call on the file failed (permissions, a folder in place of a file, ...).
  case unreadable(path: String, reason: String)
  /// The gzip stream is damaged, ends early, or is followed by bytes that are not gzip.
  case corruptGzip(path: String, reason: String)
  /// The file does not start with the two zero bytes of every IDX file.
  case badMagic(path: String, found: [UInt8])
  /// The IDX type byte is not 0x08 (unsigned byte), the only type MNIST-format data uses.
  case unsupportedType(path: String, typeCode: UInt8)
  /// The file ends inside its header.
  case truncatedHeader(path: String, available: Int, needed: Int)
  /// A dimension size in the header is negative, or their product overflows.
  case badDimensions(path: String, dimensions: [Int64])
  /// The file has another number of dimensions than its role needs (3 images, 1 labels).
  case wrongRank(path: String, dimensions: [Int], expected: Int, layout: String)
  /// Fewer data bytes follow the header than its dimensions need.
  case truncated(path: String, available: Int, dimensions: [Int], needed: Int)
  /// More data bytes follow the header than its dimensions need.
  case trailingBytes(path: String, extra: Int, dimensions: [Int], needed: Int)
  /// The images and labels files of one split hold different numbers of examples.
  case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
  /// A label is not below the class count.
  case badLabel(path: String, index: Int, value: UInt8, classCount: Int)
  /// A caller passed a value the function cannot use (a buffer of the wrong size, an index
  /// outside the split, a batch size of 0).
  case invalidArgument(String)

  public var description: String {
    switch self {
    case .notFound(let folder, let name, let folderExists):
      let place = folderExists ? folder : "\(folder) (the folder does not exist)"
      return "\(folder)/\(name)[.gz] not found; expected the MNIST-format file \(name)[.gz] in "
        + "\(place). Pass `--data DIR` with a folder that holds the IDX files (or CIFAR-10's "
        + "binary batch files), or a data set's name: "
        + DataLocation.names.joined(separator: ", ") + " "
        + "(`apt-get install dataset-fashion-mnist` installs Fashion-MNIST)."
    case .dataSetMissing(let name, let looked, let remedy):
      let places =
        looked.isEmpty ? "nowhere to look" : "looked in " + looked.joined(separator: ", ")
      return "The data set '\(name)' is not installed (\(places)); \(remedy), or pass `--data "
        + "DIR` with a folder that holds it."
    case .cifarFileMissing(let folder, let name):
      return "\(folder)/\(name)[.gz] not found; the folder holds CIFAR-10 binary batch files, and "
        + "a split needs all of its own (data_batch_1.bin … data_batch_5.bin for training, "
        + "test_batch.bin for testing)."
    case .partialRecord(let path, let size, let recordSize):
      if size == 0 {
        return "\(path): empty; expected CIFAR-10 records of \(recordSize) bytes (1 label byte and "
          + "\(recordSize - 1) pixel bytes)."
      }
      return "\(path): truncated: its \(size) bytes end \(size % recordSize) bytes into record "
        + "\(size / recordSize) (0-based); expected a whole number of CIFAR-10 records of "
        + "\(recordSize) bytes (1 label byte and \(recordSize - 1) pixel bytes)."
    case .unreadable(let path, let reason):
      return "\(path): cannot be read: \(reason)."
    case .corruptGzip(let path, let reason):
      return "\(path): corrupt gzip data: \(reason)."
    case .badMagic(let path, let found):
      return "\(path): not an IDX file: it starts with \(hex(found)), but an IDX file starts "
        + "with two zero bytes, a type byte and a dimension count (0x00 0x00 0x08 0x03 for "
        + "MNIST images, 0x00 0x00 0x08 0x01 for labels)."
    case .unsupportedType(let path, let typeCode):
      return "\(path): IDX type \(hex([typeCode])) (\(Self.typeName(typeCode))) is not "
        + "supported; expected 0x08 (unsigned byte), the type of MNIST-format data."
    case .truncatedHeader(let path, let available, let needed):
      return "\(path): truncated: it holds \(available) bytes, but its IDX header needs "
        + "\(needed)."
    case .badDimensions(let path, let dimensions):
      return "\(path): invalid IDX header: dimensions \(Self.join(dimensions)) are not "
        + "non-negative sizes whose product fits in memory."
    case .wrongRank(let path, let dimensions, let expected, let layout):
      return "\(path): has \(dimensions.count) dimension(s) (\(Self.join(dimensions))), "
        + "expected \(expected) (\(layout))."
    case .truncated(let path, let available, let dimensions, let needed):
      return "\(path): truncated: it holds \(available) bytes after its header, but its "
        + "dimensions \(Self.join(dimensions)) need \(needed)."
    case .trailingBytes(let path, let extra, let dimensions, let needed):
      return "\(path): \(extra) unexpected byte(s) after the \(needed) bytes its dimensions "
        + "\(Self.join(dimensions)) need; expected the file to end there."
    case .countMismatch(let images, let imageCount, let labels, let labelCount):
      return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels; "
        + "the two files of a split must hold the same number of examples."
    case .badLabel(let path, let index, let value, let classCount):
      return "\(path): label \(index) is \(value), expected 0..\(classCount - 1) "
        + "(\(classCount) classes)."
    case .invalidArgument(let message):
      return message
    }
  }

  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { "0x" + ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
  }

  private static func join(_ values: [some BinaryInteger]) -> String {
    values.map { String($0) }.joined(separator: "×")
  }

  /// The names the IDX format gives its type codes, for messages.
  private static func typeName(_ code: UInt8) -> String {
    switch code {
    case 0x08: return "unsigned byte"
    case 0x09: return "signed byte"
    case 0x0B: return "short"
    case 0x0C: return "int"
    case 0x0D: return "float"
    case 0x0E: return "double"
    default: return "unknown to the IDX format"
    }
  }
}
