@preconcurrency import CEqprop
import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// `data.augment`: flip and crop exactly as a naive reference computes them, drawn from
/// (seed, epoch, example index) alone, so a resumed run replays them.
final class DataAugmentationTests: XCTestCase {
  /// Two 2×4×5 images with distinct bytes.
  private let images = TestImages(
    count: 2, channels: 2, rows: 4, cols: 5, classCount: 3,
    pixels: (0..<80).map { UInt8($0 * 3 + 1) }, labels: [2, 0])

  /// The reference: pad with 4 zeros, cut the window at (top, left), mirror if asked.
  private func naive(_ index: Int, _ transform: ImageTransform) -> [Double] {
    let (c, h, w, pad) = (images.channels, images.rows, images.cols, ImageTransform.padding)
    var padded = [[[Double]]](
      repeating: [[Double]](repeating: [Double](repeating: 0, count: w + 2 * pad), count: h + 2 * pad),
      count: c)
    for ch in 0..<c {
      for y in 0..<h {
        for x in 0..<w {
          padded[ch][y + pad][x + pad] = Double(images.pixels[index * c * h * w + ch * h * w + y * w + x]) / 255
        }
      }
    }
    var out: [Double] = []
    for ch in 0..<c {
      for y in 0..<h {
        var row = Array(padded[ch][y + transform.top][transform.left..<(transform.left + w)])
        if transform.flip { row.reverse() }
        out += row
      }
    }
    return out
  }

  private func filled(_ indices: [Int], _ transform: @escaping (Int) -> ImageTransform) throws -> [Double] {
    var pixels = [Double](repeating: -1, count: indices.count * images.featureCount)
    var targets = [Double](repeating: -1, count: indices.count * images.classCount)
    try pixels.withUnsafeMutableBufferPointer { x in
      try targets.withUnsafeMutableBufferPointer { y in
        try images.fillBatch(indices: indices, pixels: x, targets: y, transform: transform)
      }
    }
    return pixels
  }

  func testEveryFlipAndCropMatchesTheReference() throws {
    for flip in [false, true] {
      for top in 0...8 {
        for left in 0...8 {
          let transform = ImageTransform(flip: flip, top: top, left: left)
          XCTAssertEqual(try filled([1, 0]) { _ in transform }, naive(1, transform) + naive(0, transform), "\(transform)")
        }
      }
    }
    XCTAssertEqual(try filled([1]) { _ in .identity }, naive(1, .identity))
  }

  func testAKnownImageFlippedAndShifted() throws {
    // Image 0, channel 0, row 0 is bytes 1, 4, 7, 10, 13; shifted right by one (left = 3)
    // the window starts with a padding zero, and mirrored it ends with it.
    let row = try filled([0]) { _ in ImageTransform(flip: true, top: 4, left: 3) }.prefix(5)
    XCTAssertEqual(Array(row), [10, 7, 4, 1, 0].map { Double($0) / 255 })
  }

  func testDrawsDependOnlyOnSeedEpochAndIndex() {
    let both: [Augmentation] = [.flip, .crop]
    let draws = (0..<200).map { ImageTransform.draw(both, seed: 7, epoch: 3, index: $0) }
    XCTAssertEqual(draws, (0..<200).map { ImageTransform.draw(both, seed: 7, epoch: 3, index: $0) })
    XCTAssertNotEqual(draws, (0..<200).map { ImageTransform.draw(both, seed: 7, epoch: 4, index: $0) })
    XCTAssertNotEqual(draws, (0..<200).map { ImageTransform.draw(both, seed: 8, epoch: 3, index: $0) })
    // Every offset and both mirror states occur; flip alone never crops, crop alone never flips.
    XCTAssertEqual(Set(draws.map(\.top)), Set(0...8))
    XCTAssertEqual(Set(draws.map(\.left)), Set(0...8))
    XCTAssertEqual(Set(draws.map(\.flip)), [false, true])
    XCTAssertTrue((0..<50).allSatisfy { ImageTransform.draw([.flip], seed: 1, epoch: 0, index: $0).top == 4 })
    XCTAssertTrue((0..<50).allSatisfy { !ImageTransform.draw([.crop], seed: 1, epoch: 0, index: $0).flip })
  }

  func testTrainingExamplesAugmentPerEpochAndTestExamplesNever() throws {
    let train = ImageExamples(images: images, augment: [.flip, .crop], seed: 5, origin: "fixture")
    let batch = { (examples: ImageExamples, epoch: Int) -> [Float] in
      var x = [Float](repeating: 0, count: 2 * 40)
      var y = [Float](repeating: 0, count: 2 * 3)
      x.withUnsafeMutableBytes { input in
        y.withUnsafeMutableBytes { target in
          examples.fill([0, 1], epoch: epoch, input: input.baseAddress!, target: target.baseAddress!,
                        dtype: UInt32(EQP_DTYPE_F32), classes: 3)
        }
      }
      return x
    }
    XCTAssertEqual(batch(train, 2), batch(train, 2))
    XCTAssertNotEqual(batch(train, 0), batch(train, 1))
    let expected = (0..<2).flatMap { naive($0, ImageTransform.draw([.flip, .crop], seed: 5, epoch: 1, index: $0)) }
    XCTAssertLessThan(maxDifference(batch(train, 1), expected), 1e-7)
    let test = ImageExamples(images: images, origin: "fixture")
    XCTAssertEqual(batch(test, 0), batch(test, 9))
    XCTAssertLessThan(maxDifference(batch(test, 0), naive(0, .identity) + naive(1, .identity)), 1e-7)
  }

  /// The largest difference between float32 values and their float64 reference.
  private func maxDifference(_ values: [Float], _ reference: [Double]) -> Double {
    guard values.count == reference.count else { return .infinity }
    return zip(values, reference).map { abs(Double($0) - $1) }.max() ?? 0
  }
}

/// Byte images of any shape, for tests of what does not depend on the file format.
struct TestImages: ByteImages {
  let count, channels, rows, cols, classCount: Int
  let pixels: [UInt8]
  let labels: [UInt8]
}
