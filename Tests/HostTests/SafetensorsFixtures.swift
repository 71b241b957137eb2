import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Helpers for the safetensors tests: hand-made files and the check that a read is refused.
enum SafetensorsFixtures {
  /// A file made of an 8-byte little-endian `length` (the header's own by default), `header`
  /// and `data`.
  static func bytes(header: String, data: [UInt8], length: UInt64? = nil) -> [UInt8] {
    let json = Array(header.utf8)
    let declared = length ?? UInt64(json.count)
    return withUnsafeBytes(of: declared.littleEndian) { Array($0) } + json + data
  }

  /// Writes `bytes` to a fresh file and returns its path.
  static func file(_ bytes: [UInt8]) throws -> String {
    let path = try CPluginBuilder.temporaryFolder() + "/model.safetensors"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Checks that reading `bytes` is refused with a sentence that starts with the file, names
  /// `tensor` when given, and holds `fragment`.
  static func assertRefused(
    _ bytes: [UInt8], tensor: String? = nil, saying fragment: String,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let path = try Self.file(bytes)
    do {
      let read = try SafetensorsFile.read(path)
      XCTFail("read \(read.tensors.count) tensors; expected a refusal", file: file, line: line)
    } catch {
      let message = error.description
      XCTAssertTrue(
        message.hasPrefix(path + ": "), "names the file: \(message)", file: file, line: line)
      XCTAssertEqual(error.tensor, tensor, "\(message)", file: file, line: line)
      XCTAssertTrue(
        message.contains(fragment), "«\(message)» lacks «\(fragment)»", file: file, line: line)
    }
  }
}
