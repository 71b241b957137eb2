import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// What is written reads back the same, the layout is the format's, and a write replaces the
/// file whole or not at all.
final class SafetensorsRoundTripTests: XCTestCase {
  private let tensors = [
    SafetensorsTensor(
      name: "layers.0.weight", shape: [2, 3], values: [1, -2, 3.5, 0, .pi, -0] as [Float]),
    SafetensorsTensor(name: "layers.0.bias", shape: [3], values: [0.1, 1e-300, -.infinity]),
    SafetensorsTensor(name: "step", shape: [], values: [Double(1234)]),
    SafetensorsTensor(name: "empty", shape: [0, 4], values: [Float]()),
    SafetensorsTensor(name: "nan \"quoted\"\n", shape: [1], values: [Float.nan]),
  ]
  private let metadata = ["format": "eqprop-checkpoint", "model": "dense", "note": "é \"x\"\t"]

  func testRoundTripKeepsEveryTensorAndTheMetadata() throws {
    let path = try CPluginBuilder.temporaryFolder() + "/run.safetensors"
    try SafetensorsFile.write(tensors: tensors, metadata: metadata, to: path)
    let read = try SafetensorsFile.read(path)
    XCTAssertEqual(read.metadata, metadata)
    XCTAssertEqual(read.tensors.map(\.name), tensors.map(\.name))
    for (got, wrote) in zip(read.tensors, tensors) {
      XCTAssertEqual(got.dtype, wrote.dtype, got.name)
      XCTAssertEqual(got.shape, wrote.shape, got.name)
      XCTAssertEqual(got.bytes, wrote.bytes, got.name)  // Bit for bit: NaN, -0 and -inf too.
    }
    XCTAssertEqual(read["layers.0.weight"]?.floats(), [1, -2, 3.5, 0, .pi, -0])
    XCTAssertEqual(read["step"]?.doubles(), [1234])
    XCTAssertEqual(read["step"]?.elementCount, 1)
    XCTAssertNil(read["step"]?.floats())
    XCTAssertEqual(read["empty"]?.floats(), [])
  }

  func testDataStartsAtAMultipleOfEight() throws {
    let path = try CPluginBuilder.temporaryFolder() + "/run.safetensors"
    for count in 0..<9 {
      let tensor = SafetensorsTensor(
        name: String(repeating: "w", count: count + 1), shape: [1],
        values: [Float(count)])
      try SafetensorsFile.write(tensors: [tensor], to: path)
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
      let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
      XCTAssertEqual(length % 8, 0)
      XCTAssertEqual(bytes.count, 8 + length + 4)
      XCTAssertEqual(bytes[8], UInt8(ascii: "{"))
    }
  }

  func testOverwriteReplacesTheFileAndLeavesNoTemporaryFile() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let path = folder + "/run.safetensors"
    try SafetensorsFile.write(tensors: tensors, to: path)
    let second = SafetensorsFile(tensors: [tensors[0]], metadata: ["epoch": "2"])
    try second.write(to: path)
    XCTAssertEqual(try SafetensorsFile.read(path), second)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["run.safetensors"])
  }

  /// When the last step fails (here the target is a folder), the temporary file is removed.
  func testFailedReplaceLeavesNoTemporaryFile() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let path = folder + "/run.safetensors"
    try FileManager.default.createDirectory(
      atPath: path + "/inside", withIntermediateDirectories: true)
    XCTAssertThrowsError(try SafetensorsFile.write(tensors: tensors, to: path)) {
      XCTAssertTrue("\($0)".hasPrefix("\(path): cannot be written: rename failed: "), "\($0)")
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["run.safetensors"])
  }

  func testInvalidTensorsAreRefusedBeforeTouchingTheDisk() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let path = folder + "/run.safetensors"
    let cases: [(SafetensorsTensor, String)] = [
      (
        SafetensorsTensor(name: "w", dtype: .f32, shape: [2, 3], bytes: [0, 0, 0, 0]),
        "path: tensor 'w': shape [2, 3] of F32 needs 24 bytes, but the tensor holds 4"
      ),
      (
        SafetensorsTensor(name: "w", dtype: .f64, shape: [-1], bytes: []),
        "path: tensor 'w': shape [-1] has a negative size"
      ),
      (
        SafetensorsTensor(name: "__metadata__", shape: [], values: [Float(1)]),
        "path: tensor '__metadata__': the name is empty or reserved"
      ),
    ]
    for (tensor, message) in cases {
      XCTAssertThrowsError(try SafetensorsFile.write(tensors: [tensor], to: path)) { error in
        XCTAssertTrue(
          "\(error)".hasPrefix(message.replacingOccurrences(of: "path", with: path)),
          "\(error)")
      }
    }
    XCTAssertThrowsError(try SafetensorsFile.write(tensors: [tensors[0], tensors[0]], to: path)) {
      XCTAssertEqual(
        "\($0)",
        "\(path): tensor 'layers.0.weight': another tensor has this name; names are unique")
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
  }

  func testWriteIntoAMissingFolderSaysWhy() throws {
    let path = try CPluginBuilder.temporaryFolder() + "/absent/run.safetensors"
    XCTAssertThrowsError(try SafetensorsFile.write(tensors: tensors, to: path)) {
      XCTAssertEqual("\($0)", "\(path): cannot be written: open failed: No such file or directory")
    }
  }

  func testReadingAMissingFileSaysWhy() throws {
    let path = try CPluginBuilder.temporaryFolder() + "/absent.safetensors"
    XCTAssertThrowsError(try SafetensorsFile.read(path)) {
      XCTAssertEqual("\($0)", "\(path): cannot be read: open failed: No such file or directory")
    }
  }

  func testAFileWithNoTensors() throws {
    let path = try CPluginBuilder.temporaryFolder() + "/empty.safetensors"
    try SafetensorsFile.write(tensors: [], to: path)
    XCTAssertEqual(try SafetensorsFile.read(path), SafetensorsFile(tensors: []))
  }
}
