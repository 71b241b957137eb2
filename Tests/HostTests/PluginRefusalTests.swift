@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// Each malformed C plugin is refused with a sentence that names the file, the plugin where
/// known, and what is wrong (STYLE §2.9, §5).
final class PluginRefusalTests: XCTestCase {
  /// Builds the fixture with `defines` alone in a folder and returns the catalog.
  private func load(_ defines: [String]) throws -> (PluginCatalog, String) {
    let folder = try CPluginBuilder.temporaryFolder()
    let file = try CPluginBuilder.fixture(defines, into: folder)
    return (PluginCatalog.load(PluginSearchPath(folders: [folder])), file)
  }

  private func assertRefused(
    _ defines: [String], saying fragments: [String], file: StaticString = #filePath,
    line: UInt = #line
  ) throws {
    let (catalog, path) = try load(defines)
    XCTAssertTrue(catalog.plugins.isEmpty, "\(defines) should load nothing", file: file, line: line)
    XCTAssertEqual(catalog.refusals.count, 1, "\(catalog.refusals)", file: file, line: line)
    let message = catalog.refusals.first?.description ?? ""
    XCTAssertTrue(message.hasPrefix(path), "names the file: \(message)", file: file, line: line)
    for fragment in fragments {
      XCTAssertTrue(message.contains(fragment), "«\(message)» lacks «\(fragment)»", file: file, line: line)
    }
  }

  func testMissingEntrySymbol() throws {
    try assertRefused(["FIXTURE_NO_ENTRY"], saying: ["does not export `eqp_plugin_entry`"])
  }

  func testEntryReturningNull() throws {
    try assertRefused(["FIXTURE_NULL_RESULT"], saying: ["eqp_plugin_entry returned NULL", "ABI 1.\(EQP_ABI_MINOR)"])
  }

  func testWrongMagic() throws {
    try assertRefused(
      ["FIXTURE_BAD_MAGIC"], saying: ["EQP_Library.magic is 0xdeadbeef", "expected 0x31505145"])
  }

  func testOtherMajor() throws {
    try assertRefused(
      ["FIXTURE_OTHER_MAJOR"], saying: ["built for ABI 2.\(EQP_ABI_MINOR)", "this host speaks ABI 1.\(EQP_ABI_MINOR)"])
  }

  func testStructSizeBelowFrozenPrefix() throws {
    try assertRefused(
      ["FIXTURE_SHORT_PREFIX"], saying: ["EQP_Library.struct_size is 12", "frozen prefix"])
  }

  func testLibraryStructSizeBelowMinimum() throws {
    try assertRefused(
      ["FIXTURE_SHORT_LIBRARY"], saying: ["EQP_Library.struct_size is 64", "below the 72 bytes"])
  }

  func testDescriptorStructSizeBelowMinimum() throws {
    try assertRefused(
      ["FIXTURE_SHORT_DESCRIPTOR"],
      saying: ["EQP_PluginDescriptor.struct_size of plugins[0] is 48", "below the 56 bytes"])
  }

  func testNullRequiredFunction() throws {
    try assertRefused(
      ["FIXTURE_NULL_TRAIN_BATCH"],
      saying: ["plugin 'fixture'", "EQP_LearnerVTable.train_batch is NULL"])
  }

  func testNewerMinorRequiringNewerHost() throws {
    try assertRefused(
      ["FIXTURE_NEEDS_NEWER_HOST"], saying: ["requires a host of ABI 1.\(EQP_ABI_MINOR + 1) or newer", "update eqprop"])
  }

  func testUnknownKind() throws {
    try assertRefused(["FIXTURE_UNKNOWN_KIND"], saying: ["plugin 'fixture'", "has kind 9"])
  }

  func testIllegalId() throws {
    try assertRefused(["FIXTURE_ID=\"Bad Id\""], saying: ["plugin 'Bad Id'", "[a-z0-9_-]+"])
  }

  func testMalformedSignatureNamesPluginAndFunction() throws {
    try assertRefused(
      ["FIXTURE_BAD_SIGNATURE"],
      saying: ["plugin 'fixture'", "function 'batches'", "\"d(px)\"", "'x' at position 4"])
  }

  func testCapabilityWithoutItsFunctionRefusesThatPluginOnly() throws {
    let (catalog, _) = try load(["FIXTURE_DYNAMICS_CAP_LIE"])
    XCTAssertEqual(catalog.plugins.map(\.id), ["fixture"])
    XCTAssertEqual(catalog.refusals.count, 1)
    XCTAssertEqual(catalog.refusals.first?.plugin, "liar")
    XCTAssertTrue(
      catalog.refusals.first?.reason.contains(
        "declares the 'step_vjp' capability but EQP_DynamicsVTable.step_vjp is NULL") ?? false,
      "\(catalog.refusals)")
  }

  func testDuplicateIdInOneFolderNamesBothFilesAndMakesTheIdUnusable() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let first = try CPluginBuilder.fixture(name: "a_fixture", into: folder)
    let second = try CPluginBuilder.fixture(name: "b_fixture", into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertTrue(catalog.plugins.isEmpty)
    let message = catalog.refusals.map(\.description).joined()
    XCTAssertTrue(message.contains(first) && message.contains(second), message)
    XCTAssertTrue(message.contains("defined twice"), message)
    XCTAssertThrowsError(try catalog.find(.learner, id: "fixture")) { error in
      XCTAssertTrue("\(error)".contains("defined twice"), "\(error)")
    }
  }

  func testFailingInitRefusesOnFirstUseWithThePluginsMessage() throws {
    let (catalog, path) = try load(["FIXTURE_INIT_FAILS"])
    // Listing has no side effects: init runs only when the library is used.
    let plugin = try catalog.find(.learner, id: "fixture")
    XCTAssertThrowsError(try plugin.initializeLibrary()) { error in
      XCTAssertEqual(
        "\(error)",
        "learner 'fixture' (\(path)): init of library 'fixture' failed: internal error: fixture "
          + "init refuses on purpose")
    }
  }

  func testNotALibraryIsRefusedWithDlerror() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let path = folder + "/libjunk.so"
    try "not an ELF file".write(toFile: path, atomically: true, encoding: .utf8)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals.count, 1)
    XCTAssertTrue(catalog.refusals.first?.description.contains("\(path): dlopen failed") ?? false)
  }
}
