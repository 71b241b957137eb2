import XCTest

@testable import EqpropHost

/// Batches are filled in place with `byte / 255` and one-hot targets, and bad calls are
/// refused before anything is written.
final class DataBatchTests: XCTestCase {
  /// Three 1×2 images with labels 2, 0, 1 of 3 classes.
  private let dataset = IDXDataset(
    rows: 1, cols: 2, classCount: 3, pixels: [0, 255, 51, 128, 1, 254], labels: [2, 0, 1])

  func testFloatBatchIsScaledAndOneHot() throws {
    var pixels = [Float](repeating: -1, count: 4)
    var targets = [Float](repeating: -1, count: 6)
    try fill([2, 0], &pixels, &targets)
    XCTAssertEqual(pixels, [Float(1) / 255, Float(254) / 255, 0, 1])
    XCTAssertEqual(targets, [0, 1, 0, 0, 0, 1])
  }

  func testDoubleBatchIsScaledAndOneHot() throws {
    var pixels = [Double](repeating: -1, count: 6)
    var targets = [Double](repeating: -1, count: 9)
    try fill([1, 1, 0], &pixels, &targets)
    XCTAssertEqual(pixels, [0.2, 128.0 / 255, 0.2, 128.0 / 255, 0, 1])
    XCTAssertEqual(targets, [1, 0, 0, 1, 0, 0, 0, 0, 1])
  }

  func testWrongBufferSizeIsRefusedAndNothingWritten() {
    var pixels = [Float](repeating: -1, count: 3)
    var targets = [Float](repeating: -1, count: 6)
    XCTAssertThrowsError(try fill([0, 1], &pixels, &targets)) { error in
      XCTAssertEqual(
        "\(error)",
        "A batch of 2 examples needs 4 pixel values and 6 target values; the buffers hold 3 and 6.")
    }
    XCTAssertEqual(pixels, [-1, -1, -1])
    XCTAssertEqual(targets, [Float](repeating: -1, count: 6))
  }

  func testIndexOutsideTheSplitIsRefusedAndNothingWritten() {
    var pixels = [Float](repeating: -1, count: 4)
    var targets = [Float](repeating: -1, count: 6)
    XCTAssertThrowsError(try fill([0, 3], &pixels, &targets)) { error in
      XCTAssertEqual("\(error)", "Example index 3 is outside this split's 0..<3.")
    }
    XCTAssertEqual(pixels, [-1, -1, -1, -1])
  }

  func testEmptyBatch() throws {
    var pixels: [Float] = []
    var targets: [Float] = []
    try fill([], &pixels, &targets)
  }

  private func fill<Scalar: BinaryFloatingPoint>(
    _ indices: [Int], _ pixels: inout [Scalar], _ targets: inout [Scalar]
  ) throws {
    try pixels.withUnsafeMutableBufferPointer { pixelBuffer in
      try targets.withUnsafeMutableBufferPointer { targetBuffer in
        if let pixels = pixelBuffer as? UnsafeMutableBufferPointer<Float>,
          let targets = targetBuffer as? UnsafeMutableBufferPointer<Float>
        {
          try dataset.fillBatch(indices: indices, pixels: pixels, targets: targets)
        } else if let pixels = pixelBuffer as? UnsafeMutableBufferPointer<Double>,
          let targets = targetBuffer as? UnsafeMutableBufferPointer<Double>
        {
          try dataset.fillBatch(indices: indices, pixels: pixels, targets: targets)
        }
      }
    }
  }
}
