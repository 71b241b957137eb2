import XCTest

@testable import EqpropHost

/// Each kind of damaged safetensors file is refused with a sentence naming the file, the
/// tensor where one is at fault, and the problem.
final class SafetensorsRefusalTests: XCTestCase {
  private typealias Fixtures = SafetensorsFixtures

  /// An F32 entry for `name` with `shape` and `offsets`.
  private func entry(_ name: String, _ shape: [Int], _ offsets: [Int], dtype: String = "F32")
    -> String
  {
    "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
  }

  private let eight = [UInt8](repeating: 1, count: 8)

  func testValidHandMadeFileReads() throws {
    let header = "{" + entry("b", [1], [4, 8]) + "," + entry("a", [1], [0, 4]) + "}"
    let read = try SafetensorsFile.read(
      try Fixtures.file(Fixtures.bytes(header: header, data: eight)))
    XCTAssertEqual(read.tensors.map(\.name), ["a", "b"])  // Data order, not header order.
  }

  func testFileShorterThanTheLengthField() throws {
    try Fixtures.assertRefused(
      [1, 2, 3, 4, 5],
      saying: "holds 5 bytes; a safetensors file starts "
        + "with an 8-byte header length")
  }

  func testHeaderLengthBeyondTheFile() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{}", data: [], length: 50),
      saying: "the header length is 50 bytes, but only 2 bytes follow the length field")
  }

  func testHeaderLengthAboveTheLimit() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{}", data: [], length: 1 << 40),
      saying: "the header length is 1099511627776 bytes, above the 100000000 the format allows")
  }

  func testInvalidJSON() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{\"w\": {", data: []), saying: "the header is not a JSON object")
  }

  func testJSONThatIsNotAnObject() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "[1, 2]", data: []), saying: "the header is not a JSON object")
  }

  func testUnknownDType() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("w", [4], [0, 8], dtype: "BF16") + "}", data: eight),
      tensor: "w", saying: "dtype \"BF16\" is not supported; expected \"F32\" or \"F64\"")
  }

  func testMissingField() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", data: eight),
      tensor: "w", saying: "\"shape\" is missing or not an array of integers")
  }

  func testEntryThatIsNotAnObject() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{\"w\":[0, 8]}", data: eight),
      tensor: "w", saying: "the entry is not a JSON object")
  }

  func testFractionalShape() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(
        header: "{"
          + entry("w", [], [0, 8]).replacingOccurrences(
            of: "[]",
            with: "[2.5]") + "}", data: eight),
      tensor: "w", saying: "\"shape\" is missing or not an array of integers")
  }

  func testNegativeShape() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("w", [-2], [0, 8]) + "}", data: eight),
      tensor: "w", saying: "shape [-2] has a negative size")
  }

  func testOffsetsThatAreNotAPair() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("w", [2], [0, 4, 8]) + "}", data: eight),
      tensor: "w", saying: "data_offsets [0, 4, 8] has 3 numbers; expected 2")
  }

  func testOffsetsBackwards() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("w", [2], [8, 0]) + "}", data: eight),
      tensor: "w", saying: "data_offsets [8, 0] do not form a range")
  }

  func testSizeDisagreesWithShape() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("w", [2, 3], [0, 8]) + "}", data: eight),
      tensor: "w", saying: "shape [2, 3] of F32 needs 24 bytes, but data_offsets [0, 8] span 8")
  }

  func testOffsetsPastTheEnd() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("w", [4], [0, 16]) + "}", data: eight),
      tensor: "w",
      saying: "data_offsets [0, 16] reach past the end of the file, which holds 8 "
        + "data bytes after its header")
  }

  func testGapBetweenTensors() throws {
    let header = "{" + entry("a", [1], [0, 4]) + "," + entry("b", [1], [8, 12]) + "}"
    try Fixtures.assertRefused(
      Fixtures.bytes(header: header, data: eight + [1, 1, 1, 1]),
      tensor: "b",
      saying: "data starts at byte 8, leaving bytes 4..<8 to no tensor (after "
        + "tensor 'a', which ends at byte 4)")
  }

  func testGapBeforeTheFirstTensor() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("a", [1], [4, 8]) + "}", data: eight),
      tensor: "a", saying: "leaving bytes 0..<4 to no tensor (after the header)")
  }

  func testOverlappingTensors() throws {
    let header = "{" + entry("a", [2], [0, 8]) + "," + entry("b", [1], [4, 8]) + "}"
    try Fixtures.assertRefused(
      Fixtures.bytes(header: header, data: eight),
      tensor: "b", saying: "data_offsets [4, 8] overlap tensor 'a', which ends at byte 8")
  }

  func testTrailingBytes() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{" + entry("a", [1], [0, 4]) + "}", data: eight),
      saying: "4 trailing byte(s) after the last tensor's data (which ends at byte 4 of 8)")
  }

  func testMetadataThatIsNotStrings() throws {
    try Fixtures.assertRefused(
      Fixtures.bytes(header: "{\"__metadata__\":{\"epoch\":3}}", data: []),
      saying: "\"__metadata__\" is not a JSON object mapping strings to strings")
  }

  func testHeaderThatIsNotUTF8() throws {
    var bytes = Fixtures.bytes(header: "{\"__metadata__\":{\"a\":\"xx\"}}", data: [])
    bytes[8 + 24] = 0xFF
    try Fixtures.assertRefused(bytes, saying: "the header is not a JSON object")
  }
}
