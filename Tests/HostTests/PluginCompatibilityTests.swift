@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The compatibility rule of docs/ABI.md: older and newer minors load, truncated structs are
/// read only as far as they reach, earlier folders shadow later ones.
final class PluginCompatibilityTests: XCTestCase {
  func testValidCPluginIsListedWithEverything() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let file = try CPluginBuilder.fixture(into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    let plugin = try catalog.find(.learner, id: "fixture")
    XCTAssertEqual(plugin.file, file)
    XCTAssertEqual(plugin.version, "1.0.0")
    XCTAssertEqual(plugin.library.abiMajor, 1)
    XCTAssertEqual(plugin.options.map(\.name), ["scale"])
    XCTAssertEqual(plugin.options.first?.min, 0)
    XCTAssertNil(plugin.options.first?.max)
    XCTAssertEqual(plugin.functions.map(\.name), ["batches"])
    XCTAssertEqual(plugin.functions.first?.signature.description, "d(p)")
    XCTAssertNoThrow(try plugin.initializeLibrary())
  }

  func testPluginBuiltAgainstTheReleasedOneZeroHeaderLoads() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(
      into: folder, includeFolder: RepositoryPaths.fixtures + "/abi-1.0")
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertEqual(catalog.plugins.map(\.id), ["fixture"])
  }

  func testPluginBuiltAgainstTheReleasedOneOneHeaderLoads() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(
      into: folder, includeFolder: RepositoryPaths.fixtures + "/abi-1.1")
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertEqual(catalog.plugins.first?.library.abiMinor, 1)
  }

  func testPluginBuiltAgainstTheReleasedOneTwoHeaderLoads() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(
      into: folder, includeFolder: RepositoryPaths.fixtures + "/abi-1.2")
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertEqual(catalog.plugins.first?.library.abiMinor, 2)
  }

  func testPluginBuiltAgainstTheReleasedOneThreeHeaderLoads() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(
      into: folder, includeFolder: RepositoryPaths.fixtures + "/abi-1.3")
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertEqual(catalog.plugins.first?.library.abiMinor, 3)
  }

  func testPluginOneMinorAheadUsingOnlyWhatTheHostHasLoads() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(["FIXTURE_MINOR_AHEAD"], into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertEqual(catalog.plugins.first?.library.abiMinor, UInt32(EQP_ABI_MINOR) + 1)
  }

  func testTruncatedDescriptorIsReadOnlyAsFarAsItReaches() throws {
    // The fixture fills options and functions but declares a struct_size ending at vtable:
    // the host must treat both as absent.
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(["FIXTURE_TRUNCATED_DESCRIPTOR"], into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    let plugin = try catalog.find(.learner, id: "fixture")
    XCTAssertEqual(plugin.options, [])
    XCTAssertTrue(plugin.functions.isEmpty)
    XCTAssertEqual(plugin.description, "")
  }

  func testEarlierFolderShadowsLaterWithANoticeNamingBoth() throws {
    let early = try CPluginBuilder.temporaryFolder()
    let late = try CPluginBuilder.temporaryFolder()
    let earlyFile = try CPluginBuilder.fixture(into: early)
    let lateFile = try CPluginBuilder.fixture(into: late)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [early, late]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertEqual(try catalog.find(.learner, id: "fixture").file, earlyFile)
    XCTAssertEqual(catalog.notices.count, 1)
    let notice = catalog.notices.first ?? ""
    XCTAssertTrue(notice.contains(earlyFile) && notice.contains(lateFile), notice)
  }

  func testSearchPathOrder() {
    let path = PluginSearchPath.standard(
      commandLine: ["/a", "/b/"], environment: ["EQPROP_PLUGIN_PATH": "/c::/a"],
      executableFolder: "/exe")
    XCTAssertEqual(path.folders, ["/a", "/b", "/c", "/exe"])
  }

  func testUnknownIdErrorListsWhatExists() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertThrowsError(try catalog.find(.learner, id: "ep")) { error in
      XCTAssertEqual("\(error)", "no learner plugin with id 'ep' was found; available: fixture")
    }
  }
}
