import TestSupport
import XCTest

@testable import EqpropHost

/// Each damaged or missing file is refused with a sentence that names it and says what was
/// expected and what was found.
final class DataRefusalTests: XCTestCase {
  private var folder = ""

  override func setUpWithError() throws {
    folder = try CPluginBuilder.temporaryFolder()
  }

  private var images: String { "\(folder)/\(DataSplit.train.imagesName)" }
  private var labels: String { "\(folder)/\(DataSplit.train.labelsName)" }

  func testMissingFileSuggestsTheInstall() {
    DataFixtures.assertRefused(
      folder: folder,
      saying: [
        "\(folder)/train-images-idx3-ubyte[.gz] not found",
        "expected the MNIST-format file train-images-idx3-ubyte[.gz] in \(folder).",
        "apt-get install dataset-fashion-mnist", "--data DIR",
      ])
  }

  func testMissingFolderIsNamed() {
    DataFixtures.assertRefused(
      folder: folder + "/absent", saying: ["/absent (the folder does not exist)"])
  }

  func testMissingLabelsFile() throws {
    try DataFixtures.writeSplit(.train, count: 3, into: folder)
    try FileManager.default.removeItem(atPath: labels)
    DataFixtures.assertRefused(folder: folder, saying: ["train-labels-idx1-ubyte[.gz] not found"])
  }

  func testTruncatedData() throws {
    try DataFixtures.write(
      DataFixtures.idx([60_000, 28, 28], [UInt8](repeating: 7, count: 1000)), to: images)
    DataFixtures.assertRefused(
      folder: folder,
      saying: [
        images + ": truncated: it holds 1000 bytes after its header, but its dimensions "
          + "60000×28×28 need 47040000."
      ])
  }

  func testTruncatedDataInsideGzip() throws {
    try DataFixtures.write(
      DataFixtures.idx([60_000, 28, 28], [UInt8](repeating: 7, count: 1000)), to: images)
    try DataFixtures.gzip(images)
    DataFixtures.assertRefused(
      folder: folder, saying: [images + ".gz: truncated: it holds 1000 bytes after its header"])
  }

  func testTruncatedHeader() throws {
    try DataFixtures.write([0, 0, 8, 3, 0, 0], to: images)
    DataFixtures.assertRefused(
      folder: folder,
      saying: [images + ": truncated: it holds 6 bytes, but its IDX header needs 16"])
  }

  func testTrailingBytes() throws {
    try DataFixtures.write(DataFixtures.idx([2, 2, 3], Array(0..<14)), to: images)
    DataFixtures.assertRefused(
      folder: folder,
      saying: [images + ": 2 unexpected byte(s) after the 12 bytes its dimensions 2×2×3 need"])
  }

  func testBadMagic() throws {
    try DataFixtures.write(
      [0x01, 0x02] + DataFixtures.idx([1, 1, 1], [0]).dropFirst(2), to: images)
    DataFixtures.assertRefused(
      folder: folder, saying: [images + ": not an IDX file: it starts with 0x01 0x02 0x08 0x03"])
  }

  func testOtherElementType() throws {
    try DataFixtures.write(DataFixtures.idx([1, 1, 1], [0, 0, 0, 0], type: 0x0D), to: images)
    DataFixtures.assertRefused(
      folder: folder,
      saying: [images + ": IDX type 0x0d (float) is not supported; expected 0x08 (unsigned byte)"])
  }

  func testWrongRank() throws {
    try DataFixtures.writeSplit(.train, count: 2, into: folder)
    try DataFixtures.write(DataFixtures.idx([2, 1, 1], [0, 1]), to: labels)
    DataFixtures.assertRefused(
      folder: folder, saying: [labels + ": has 3 dimension(s) (2×1×1), expected 1 (count)"])
  }

  func testCountMismatch() throws {
    try DataFixtures.writeSplit(.train, count: 3, into: folder, labels: [1, 2])
    DataFixtures.assertRefused(
      folder: folder, saying: ["\(images) holds 3 images but \(labels) holds 2 labels"])
  }

  func testLabelOutsideTheClasses() throws {
    try DataFixtures.writeSplit(.train, count: 3, into: folder, labels: [1, 10, 2])
    DataFixtures.assertRefused(
      folder: folder, saying: [labels + ": label 1 is 10, expected 0..9 (10 classes)."])
  }

  func testLabelAtOrAboveAGivenClassCount() throws {
    try DataFixtures.writeSplit(.train, count: 3, into: folder, labels: [1, 2, 4])
    DataFixtures.assertRefused(
      folder: folder, classCount: 4, saying: ["label 2 is 4, expected 0..3 (4 classes)"])
    XCTAssertEqual(try IDXDataset.load(folder: folder, split: .train, classCount: 5).count, 3)
  }

  func testCorruptGzip() throws {
    try DataFixtures.writeSplit(.train, count: 200, into: folder)
    try DataFixtures.gzip(images)
    var bytes = try DataFixtures.read(images + ".gz")
    for offset in stride(from: 20, to: bytes.count - 10, by: 7) { bytes[offset] ^= 0x5A }
    try DataFixtures.write(bytes, to: images + ".gz")
    DataFixtures.assertRefused(folder: folder, saying: [images + ".gz: corrupt gzip data: "])
  }

  func testGzipCutShort() throws {
    try DataFixtures.writeSplit(.train, count: 200, into: folder)
    try DataFixtures.gzip(images)
    let bytes = try DataFixtures.read(images + ".gz")
    try DataFixtures.write(Array(bytes.dropLast(6)), to: images + ".gz")
    DataFixtures.assertRefused(
      folder: folder, saying: [images + ".gz: corrupt gzip data: the file ends inside its gzip"])
  }

  func testGarbageAfterGzip() throws {
    try DataFixtures.writeSplit(.train, count: 2, into: folder)
    try DataFixtures.gzip(labels)
    try DataFixtures.write(try DataFixtures.read(labels + ".gz") + [0, 0, 0], to: labels + ".gz")
    DataFixtures.assertRefused(
      folder: folder, saying: [labels + ".gz: corrupt gzip data: 3 byte(s) after the end"])
  }

  /// Concatenated gzip members are one stream, as `gzip -d` reads them.
  func testConcatenatedGzipMembersLoad() throws {
    try DataFixtures.writeSplit(.train, count: 4, into: folder)
    let whole = try DataFixtures.read(labels)
    try DataFixtures.write(Array(whole[0..<5]), to: folder + "/a")
    try DataFixtures.write(Array(whole[5...]), to: folder + "/b")
    try DataFixtures.shell("cd '\(folder)' && gzip -n a b && cat a.gz b.gz > '\(labels).gz'")
    try FileManager.default.removeItem(atPath: labels)
    XCTAssertEqual(try IDXDataset.load(folder: folder, split: .train).labels, [0, 1, 2, 3])
  }

  /// With both present, the raw file is read and the `.gz` beside it is not opened.
  func testRawFileWinsOverGzip() throws {
    try DataFixtures.writeSplit(.train, count: 2, into: folder)
    try DataFixtures.write([0x1f, 0x8b, 0, 1, 2], to: images + ".gz")
    XCTAssertEqual(try IDXDataset.load(folder: folder, split: .train).count, 2)
  }

  /// A gzip file is recognised by its bytes, not its name.
  func testGzipWithoutItsSuffixLoads() throws {
    try DataFixtures.writeSplit(.test, count: 2, into: folder)
    let path = "\(folder)/\(DataSplit.test.imagesName)"
    try DataFixtures.gzip(path)
    try FileManager.default.moveItem(atPath: path + ".gz", toPath: path)
    XCTAssertEqual(try IDXDataset.load(folder: folder, split: .test).pixels, Array(0..<12))
  }

  func testNegativeLimitAndClassCount() throws {
    try DataFixtures.writeSplit(.train, count: 2, into: folder)
    XCTAssertThrowsError(try IDXDataset.load(folder: folder, split: .train, limit: -1))
    XCTAssertThrowsError(try IDXDataset.load(folder: folder, split: .train, classCount: 0))
  }
}
