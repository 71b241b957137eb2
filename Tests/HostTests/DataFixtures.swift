import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Files for the data tests: the MNIST copy shared by tests and CI, and small IDX files
/// written on the spot.
enum DataFixtures {
  /// The MNIST folder: `EQPROP_MNIST_DIR` when set, else `../shared/data/mnist` beside the
  /// repository (DESIGN.md, "Data").
  static var mnistFolder: String {
    if let folder = ProcessInfo.processInfo.environment["EQPROP_MNIST_DIR"] { return folder }
    return URL(fileURLWithPath: RepositoryPaths.root + "/../shared/data/mnist").standardized.path
  }

  /// The MNIST split, or a failure saying where the files were looked for.
  static func mnist(_ split: DataSplit, limit: Int? = nil) throws -> IDXDataset {
    guard FileManager.default.fileExists(atPath: mnistFolder) else {
      throw FixtureFailure(
        description: "MNIST is not at \(mnistFolder); set EQPROP_MNIST_DIR to its folder")
    }
    return try IDXDataset.load(folder: mnistFolder, split: split, limit: limit)
  }

  /// The bytes of an IDX file: magic (two zeros, `type`, rank), big-endian sizes, `data`.
  static func idx(_ dimensions: [Int], _ data: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
    for size in dimensions {
      bytes += withUnsafeBytes(of: UInt32(size).bigEndian) { Array($0) }
    }
    return bytes + data
  }

  /// Writes a small valid split (`count` images of 2×3, labels `i % 10`) into `folder`.
  static func writeSplit(
    _ split: DataSplit, count: Int, into folder: String, labels: [UInt8]? = nil
  ) throws {
    let pixels = (0..<(count * 6)).map { UInt8($0 % 256) }
    try write(idx([count, 2, 3], pixels), to: "\(folder)/\(split.imagesName)")
    let labels = labels ?? (0..<count).map { UInt8($0 % 10) }
    try write(idx([labels.count], labels), to: "\(folder)/\(split.labelsName)")
  }

  static func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  static func read(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// Runs `command` with `/bin/sh -c` and fails the test when it fails.
  static func shell(_ command: String) throws {
    let result = try ProcessRunner.run("/bin/sh", ["-c", command])
    guard result.status == 0 else {
      throw FixtureFailure(description: "`\(command)` failed: \(result.standardError)")
    }
  }

  /// Compresses `path` into `path.gz` with `gzip -n`, removing `path`.
  static func gzip(_ path: String) throws {
    try shell("gzip -n -f '\(path)'")
  }

  /// Checks that loading `split` from `folder` fails with a `DataError` whose sentence holds
  /// every fragment.
  static func assertRefused(
    folder: String, split: DataSplit = .train, classCount: Int = 10, saying fragments: [String],
    file: StaticString = #filePath, line: UInt = #line
  ) {
    do {
      let dataset = try IDXDataset.load(folder: folder, split: split, classCount: classCount)
      XCTFail("loaded \(dataset.count) examples; expected a refusal", file: file, line: line)
    } catch {
      for fragment in fragments {
        XCTAssertTrue(
          error.description.contains(fragment), "«\(error)» lacks «\(fragment)»", file: file,
          line: line)
      }
    }
  }
}

/// A file the tests need is not where they look, or a command that makes one failed.
struct FixtureFailure: Error, CustomStringConvertible {
  var description: String
}
