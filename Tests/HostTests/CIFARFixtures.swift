import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Small CIFAR-10 binary files written on the spot: no real CIFAR-10 can be downloaded here.
enum CIFARFixtures {
  /// Pixel `p` (0..<3072, channel-major) of example `n`: distinct across channels, rows and
  /// columns, so a flip or a shifted crop changes what is read.
  static func pixel(example n: Int, _ p: Int) -> UInt8 { UInt8((p * 7 + n * 13 + p / 1024 * 50) % 251) }

  /// Example `n`'s label.
  static func label(_ n: Int) -> UInt8 { UInt8((n * 3) % 10) }

  /// One record: the label byte, then 3072 pixel bytes.
  static func record(_ n: Int) -> [UInt8] { [label(n)] + (0..<3072).map { pixel(example: n, $0) } }

  /// Writes the split's batch files into `folder`, `perFile` records each, examples numbered
  /// on across the files (data_batch_2 starts at `perFile`).
  static func writeSplit(_ split: DataSplit, perFile: Int, into folder: String) throws {
    for (file, name) in CIFARDataset.fileNames(split).enumerated() {
      let bytes = (0..<perFile).flatMap { record(file * perFile + $0) }
      try DataFixtures.write(bytes, to: "\(folder)/\(name)")
    }
  }

  /// A folder with both splits: 5 × 2 training and 3 test examples.
  static func folder() throws -> String {
    let folder = try CPluginBuilder.temporaryFolder("eqprop-cifar")
    try writeSplit(.train, perFile: 2, into: folder)
    try writeSplit(.test, perFile: 3, into: folder)
    return folder
  }
}
