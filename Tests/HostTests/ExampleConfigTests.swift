import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Every config in examples/ resolves against the plugins SwiftPM builds, so none rots. (The
/// configs of the C examples need their plugins built: the *ExampleTests run them.)
final class ExampleConfigTests: XCTestCase {
  private let cExamples = ["c-learner/", "c-model/", "c-dynamics/"]

  func testEveryExampleConfigResolves() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let root = RepositoryPaths.root + "/examples"
    let files = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: root))
      .filter { file in file.hasSuffix(".yaml") && !cExamples.contains { file.hasPrefix($0) } }.sorted()
    XCTAssertGreaterThanOrEqual(files.count, 15, "\(files)")
    for file in files {
      do {
        let config = try RunConfig.load(file: root + "/" + file, catalog: catalog)
        if file.hasPrefix("gdu/") { XCTAssertEqual(config.dtype, 2, "\(file): checks need f64") }
      } catch {
        XCTFail("\(file): \(error)")
      }
    }
  }
}
