@preconcurrency import CEqprop
import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// The CIFAR-10 binary loader on files the tests write: shapes, values, labels, the format
/// told by the folder's files, and damaged files refused naming the file and the record.
final class DataCIFARTests: XCTestCase {
  func testSplitsHoldEveryRecordInFileOrder() throws {
    let folder = try CIFARFixtures.folder()
    let train = try CIFARDataset.load(folder: folder, split: .train)
    XCTAssertEqual(train.count, 10)
    XCTAssertEqual(train.shape, [3, 32, 32])
    XCTAssertEqual(train.featureCount, 3072)
    XCTAssertEqual(train.labels, (0..<10).map(CIFARFixtures.label))
    XCTAssertEqual(Array(train.pixels[(7 * 3072)..<(8 * 3072)]), (0..<3072).map { CIFARFixtures.pixel(example: 7, $0) })
    let test = try CIFARDataset.load(folder: folder, split: .test, limit: 2)
    XCTAssertEqual(test.count, 2)
    XCTAssertEqual(test.pixels.count, 2 * 3072)
  }

  func testBatchesAreScaledToTheUnitIntervalWithOneHotLabels() throws {
    let examples = try ImageExamples(
      images: CIFARDataset.load(folder: CIFARFixtures.folder(), split: .train), origin: "fixture")
    var input = [Float](repeating: -1, count: 2 * 3072)
    var target = [Float](repeating: -1, count: 2 * 10)
    input.withUnsafeMutableBytes { x in
      target.withUnsafeMutableBytes { y in
        examples.fill([4, 1], epoch: 0, input: x.baseAddress!, target: y.baseAddress!, dtype: UInt32(EQP_DTYPE_F32), classes: 10)
      }
    }
    // Channel-major: red plane, green plane, blue plane; values byte / 255.
    XCTAssertEqual(input[0], Float(CIFARFixtures.pixel(example: 4, 0)) / 255)
    XCTAssertEqual(input[1024 + 33], Float(CIFARFixtures.pixel(example: 4, 1024 + 33)) / 255)
    XCTAssertEqual(input[3072 + 2047], Float(CIFARFixtures.pixel(example: 1, 2047)) / 255)
    XCTAssertTrue(input.allSatisfy { (0...1).contains($0) })
    XCTAssertEqual(target.firstIndex(of: 1), Int(CIFARFixtures.label(4)))
    XCTAssertEqual(target[10...].firstIndex(of: 1), 10 + Int(CIFARFixtures.label(1)))
    XCTAssertEqual(target.reduce(0, +), 2)
  }

  func testTheFolderTellsTheFormat() throws {
    let cifar = try CIFARFixtures.folder()
    XCTAssertEqual(try DataFolder(cifar).format, .cifar10)
    // The folder the CIFAR-10 archive unpacks to, found inside the folder given.
    let parent = try CPluginBuilder.temporaryFolder("eqprop-cifar-parent")
    try FileManager.default.moveItem(atPath: cifar, toPath: parent + "/cifar-10-batches-bin")
    let unpacked = try DataFolder(parent)
    XCTAssertEqual(unpacked.format, .cifar10)
    XCTAssertEqual(unpacked.path, parent + "/cifar-10-batches-bin")
    let idx = try CPluginBuilder.temporaryFolder()
    try DataFixtures.writeSplit(.train, count: 3, into: idx)
    XCTAssertEqual(try DataFolder(idx).format, .idx)
    XCTAssertEqual(try DataFolder(idx).load(.train, limit: nil).count, 3)
  }

  func testGzipBatchFilesLoad() throws {
    let folder = try CIFARFixtures.folder()
    try DataFixtures.gzip(folder + "/data_batch_3.bin")
    XCTAssertEqual(try CIFARDataset.load(folder: folder, split: .train).labels, (0..<10).map(CIFARFixtures.label))
  }

  func testTruncatedFileNamesTheRecordAndTheSize() throws {
    let folder = try CIFARFixtures.folder()
    let path = folder + "/data_batch_2.bin"
    try DataFixtures.write(Array(try DataFixtures.read(path).dropLast(100)), to: path)
    assertRefused(
      folder,
      saying: [
        "\(path): truncated: its 6046 bytes end 2973 bytes into record 1 (0-based)",
        "records of 3073 bytes (1 label byte and 3072 pixel bytes)",
      ])
    try DataFixtures.write([], to: path)
    assertRefused(folder, saying: ["\(path): empty"])
  }

  func testBadLabelAndMissingFile() throws {
    let folder = try CIFARFixtures.folder()
    var bytes = try DataFixtures.read(folder + "/data_batch_1.bin")
    bytes[3073] = 10
    try DataFixtures.write(bytes, to: folder + "/data_batch_1.bin")
    assertRefused(folder, saying: ["data_batch_1.bin: label 1 is 10, expected 0..9"])
    try FileManager.default.removeItem(atPath: folder + "/data_batch_4.bin")
    XCTAssertThrowsError(try CIFARDataset.load(folder: folder, split: .train, limit: 2))  // label first
    try DataFixtures.write(CIFARFixtures.record(0), to: folder + "/data_batch_1.bin")
    assertRefused(folder, saying: ["\(folder)/data_batch_4.bin[.gz] not found", "data_batch_1.bin … data_batch_5.bin"])
  }

  private func assertRefused(_ folder: String, saying fragments: [String], line: UInt = #line) {
    XCTAssertThrowsError(try CIFARDataset.load(folder: folder, split: .train), line: line) { error in
      for fragment in fragments {
        XCTAssertTrue("\(error)".contains(fragment), "«\(error)» lacks «\(fragment)»", line: line)
      }
    }
  }
}
