import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Every config in examples/ resolves against the plugins SwiftPM builds, and every sweep in
/// examples/sweeps/ plans its runs, so none rots. (The configs of the C examples need their
/// plugins built: the *ExampleTests run them.)
final class ExampleConfigTests: XCTestCase {
  private let notConfigs = ["c-learner/", "c-model/", "c-dynamics/", "sweeps/"]

  func testEveryExampleConfigResolves() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let root = RepositoryPaths.root + "/examples"
    let files = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: root))
      .filter { file in file.hasSuffix(".yaml") && !notConfigs.contains { file.hasPrefix($0) } }.sorted()
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

  func testEverySweepExamplePlansItsRuns() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let root = RepositoryPaths.root + "/examples/sweeps"
    let files = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".yaml") }
    XCTAssertFalse(files.isEmpty)
    for file in files {
      do {
        let plan = try SweepPlan(SweepFile.load(file: root + "/" + file), catalog: catalog)
        try plan.checkPlugins()
        XCTAssertGreaterThan(plan.runs.count, 1, file)
      } catch {
        XCTFail("\(file): \(error)")
      }
    }
  }
}
