import TestSupport
import XCTest

@testable import EqpropHost

/// The real MNIST files load with the counts, sizes and label histograms their README lists.
final class DataMNISTTests: XCTestCase {
  private func histogram(_ labels: [UInt8]) -> [Int] {
    labels.reduce(into: [Int](repeating: 0, count: 10)) { $0[Int($1)] += 1 }
  }

  func testTrainSplitMatchesTheREADME() throws {
    let train = try DataFixtures.mnist(.train)
    XCTAssertEqual(train.count, 60_000)
    XCTAssertEqual([train.rows, train.cols], [28, 28])
    XCTAssertEqual(train.pixels.count, 47_040_000)
    XCTAssertEqual(train.labels.count, 60_000)
    XCTAssertEqual(
      histogram(train.labels), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    XCTAssertEqual(train.labels.first, 5)
    // The first 1000 images span the byte range (all 47 M values take seconds in debug).
    let head = train.pixels[0..<(1000 * 784)]
    XCTAssertEqual(head.min(), 0)
    XCTAssertEqual(head.max(), 255)
  }

  func testTestSplitMatchesTheREADME() throws {
    let test = try DataFixtures.mnist(.test)
    XCTAssertEqual(test.count, 10_000)
    XCTAssertEqual([test.rows, test.cols], [28, 28])
    XCTAssertEqual(test.pixels.count, 7_840_000)
    XCTAssertEqual(histogram(test.labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    XCTAssertEqual(test.labels.first, 7)
    let head = test.pixels[0..<(1000 * 784)]
    XCTAssertEqual(head.min(), 0)
    XCTAssertEqual(head.max(), 255)
  }

  func testLimitKeepsTheFirstExamples() throws {
    let test = try DataFixtures.mnist(.test)
    let first = try DataFixtures.mnist(.test, limit: 1000)
    XCTAssertEqual(first.count, 1000)
    XCTAssertEqual(first.labels, Array(test.labels[0..<1000]))
    XCTAssertEqual(first.pixels, Array(test.pixels[0..<(1000 * 784)]))
    XCTAssertEqual(try DataFixtures.mnist(.test, limit: 20_000).count, 10_000)
    XCTAssertEqual(test.prefix(0).count, 0)
  }

  /// A raw copy made with `gzip -dc` loads to the same bytes as the `.gz` files.
  func testRawCopyMatchesGzip() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    for name in [DataSplit.test.imagesName, DataSplit.test.labelsName] {
      try DataFixtures.shell(
        "gzip -dc '\(DataFixtures.mnistFolder)/\(name).gz' > '\(folder)/\(name)'")
    }
    let raw = try IDXDataset.load(folder: folder, split: .test)
    let compressed = try DataFixtures.mnist(.test)
    XCTAssertEqual(raw.count, compressed.count)
    XCTAssertEqual(raw.labels, compressed.labels)
    XCTAssertEqual(raw.pixels, compressed.pixels)
  }

  /// The first image scaled as torchvision's ToTensor scales it, with its one-hot label.
  func testFirstBatchIsScaledAndOneHot() throws {
    let test = try DataFixtures.mnist(.test, limit: 4)
    var pixels = [Float](repeating: -1, count: 2 * 784)
    var targets = [Float](repeating: -1, count: 2 * 10)
    try pixels.withUnsafeMutableBufferPointer { pixelBuffer in
      try targets.withUnsafeMutableBufferPointer { targetBuffer in
        try test.fillBatch(indices: [0, 3], pixels: pixelBuffer, targets: targetBuffer)
      }
    }
    XCTAssertEqual(pixels.min(), 0)
    XCTAssertEqual(pixels.max(), 1)
    XCTAssertEqual(pixels[784 + 300], Float(test.pixels[3 * 784 + 300]) / 255)
    XCTAssertEqual(Array(targets[0..<10]), (0..<10).map { $0 == 7 ? 1 : 0 })
    XCTAssertEqual(targets[10 + Int(test.labels[3])], 1)
    XCTAssertEqual(targets[10..<20].reduce(0, +), 1)
  }

  /// Debian's Fashion-MNIST, the users' default, loads by name where it is installed.
  func testDefaultFolderLoadsWhereInstalled() throws {
    guard FileManager.default.fileExists(atPath: DataLocation.fashionMNISTFolder) else {
      throw XCTSkip("\(DataLocation.fashionMNISTFolder) is absent (apt-get install dataset-fashion-mnist)")
    }
    let test = try IDXDataset.load(folder: DataLocation.folder(for: "fashion-mnist"), split: .test)
    XCTAssertEqual(test.count, 10_000)
    XCTAssertEqual([test.rows, test.cols], [28, 28])
  }
}
