import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Every config in examples/ resolves against the shipped plugins, so none rots. (The C
/// learner's config is exercised by CLearnerExampleTests, which builds its plugin.)
final class ExampleConfigTests: XCTestCase {
  func testEveryExampleConfigResolves() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let root = RepositoryPaths.root + "/examples"
    let files = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: root))
      .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("c-learner/") }.sorted()
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
