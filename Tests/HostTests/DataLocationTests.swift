import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// `--data` names: `mnist` and `fashion-mnist` resolve to where they are kept, a path stays a
/// path, and a missing data set says what would provide it.
final class DataLocationTests: XCTestCase {
  func testMNISTResolvesToTheSharedCopyBesideTheRepository() throws {
    guard FileManager.default.fileExists(atPath: RepositoryPaths.mnist) else {
      throw XCTSkip("\(RepositoryPaths.mnist) is absent")
    }
    // EQPROP_MNIST_DIR, when the environment sets it, is looked at first.
    let expected = ProcessInfo.processInfo.environment["EQPROP_MNIST_DIR"] ?? RepositoryPaths.mnist
    XCTAssertEqual(try DataLocation.folder(for: "mnist"), expected)
    XCTAssertEqual(DataLocation.mnistCandidates().last, RepositoryPaths.mnist)
  }

  func testFashionMNISTIsDebiansFolder() throws {
    guard FileManager.default.fileExists(atPath: DataLocation.fashionMNISTFolder) else {
      throw XCTSkip("\(DataLocation.fashionMNISTFolder) is absent (apt-get install dataset-fashion-mnist)")
    }
    XCTAssertEqual(try DataLocation.folder(for: "fashion-mnist"), DataLocation.fashionMNISTFolder)
    // Configs written before names existed left data.dir empty: the same default.
    XCTAssertEqual(try DataLocation.folder(for: ""), DataLocation.fashionMNISTFolder)
  }

  func testAPathStaysAPath() throws {
    XCTAssertEqual(try DataLocation.folder(for: "./mnist"), "./mnist")
    XCTAssertEqual(try DataLocation.folder(for: "/data/cifar"), "/data/cifar")
  }

  func testAMissingDataSetSaysWhatWouldProvideIt() {
    let error = DataError.dataSetMissing(
      name: "fashion-mnist", looked: ["/usr/share/datasets/fashion-mnist"],
      remedy: "install Debian's package with `apt-get install dataset-fashion-mnist`")
    XCTAssertEqual(
      error.description,
      "The data set 'fashion-mnist' is not installed (looked in /usr/share/datasets/fashion-mnist); "
        + "install Debian's package with `apt-get install dataset-fashion-mnist`, or pass `--data "
        + "DIR` with a folder that holds it.")
  }
}
