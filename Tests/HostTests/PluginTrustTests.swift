import Foundation
import Glibc
import TestSupport
import XCTest

@testable import EqpropHost

/// What may be loaded (README, "Trust model"): plugin files and folders that others could
/// change are refused unless --allow-insecure-plugins, with a sentence naming the path, what
/// is wrong and the flag.
final class PluginTrustTests: XCTestCase {
  /// `nobody` on Debian: a user other than root and the one running the tests.
  private let otherUser: uid_t = 65534

  /// A fresh folder holding the learner fixture, removed after the test.
  private func folderWithPlugin() throws -> (folder: String, file: String) {
    let folder = try CPluginBuilder.temporaryFolder("eqprop-trust")
    addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
    return (folder, try CPluginBuilder.fixture(into: folder))
  }

  private func setMode(_ mode: Int, of path: String) throws {
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
  }

  /// Checks that the catalog of `folder` refuses `path` for `fault`, and that the flag loads
  /// the fixture with a notice.
  private func assertRefusedUnlessAllowed(
    _ path: String, in folder: String, saying fault: String, line: UInt = #line
  ) {
    let strict = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(strict.plugins.map(\.id), [], line: line)
    XCTAssertEqual(strict.refusals.count, 1, "\(strict.refusals)", line: line)
    let message = strict.refusals.first?.description ?? ""
    for fragment in [path + ": ", fault, "--allow-insecure-plugins"] {
      XCTAssertTrue(message.contains(fragment), "«\(message)» lacks «\(fragment)»", line: line)
    }
    let lenient = PluginCatalog.load(PluginSearchPath(folders: [folder]), allowingInsecure: true)
    XCTAssertEqual(lenient.refusals, [], line: line)
    XCTAssertEqual(lenient.plugins.map(\.id), ["fixture"], line: line)
    let notice = lenient.notices.first ?? ""
    XCTAssertTrue(notice.contains(fault) && notice.contains("loaded anyway"), notice, line: line)
  }

  func testWorldWritableFolderIsRefusedUnlessAllowed() throws {
    let (folder, _) = try folderWithPlugin()
    try setMode(0o777, of: folder)
    assertRefusedUnlessAllowed(folder, in: folder, saying: "is world-writable (mode 0777)")
  }

  func testWorldWritableFileIsRefusedUnlessAllowed() throws {
    let (folder, file) = try folderWithPlugin()
    try setMode(0o757, of: file)
    assertRefusedUnlessAllowed(file, in: folder, saying: "is world-writable (mode 0757)")
  }

  func testLinkIsJudgedByItsTargetsFolder() throws {
    let (folder, _) = try folderWithPlugin()
    let (elsewhere, target) = try folderWithPlugin()
    try FileManager.default.removeItem(atPath: folder + "/libfixture.so")
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/libfixture.so", withDestinationPath: target)
    try setMode(0o777, of: elsewhere)
    assertRefusedUnlessAllowed(
      folder + "/libfixture.so", in: folder,
      saying: "is a link to \(target), whose folder \(elsewhere) is world-writable")
  }

  func testFileAndFolderOwnedByAnotherUserAreRefusedUnlessAllowed() throws {
    guard geteuid() == 0 else {
      throw XCTSkip(
        "giving a file to another user (chown) needs root; these tests run as uid \(geteuid())")
    }
    let (folder, file) = try folderWithPlugin()
    XCTAssertEqual(chown(file, otherUser, gid_t(otherUser)), 0)
    assertRefusedUnlessAllowed(file, in: folder, saying: "is owned by user 'nobody' (uid 65534)")
    XCTAssertEqual(chown(file, 0, 0), 0)
    XCTAssertEqual(chown(folder, otherUser, gid_t(otherUser)), 0)
    assertRefusedUnlessAllowed(folder, in: folder, saying: "neither root nor you (uid 0)")
  }

  func testOnlyThePluginsOwnFolderCountsNotWorldWritableTmpAboveIt() throws {
    let (folder, _) = try folderWithPlugin()
    let parent = (folder as NSString).deletingLastPathComponent
    XCTAssertEqual(try FileStatus.of(parent).get().isWorldWritable, true, "\(parent) is /tmp")
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertEqual(catalog.plugins.map(\.id), ["fixture"])
  }

  func testShippedPluginsBesideTheBinaryPass() {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertTrue(catalog.plugins.contains { $0.id == "dense" })
  }

  func testAnUntrustedFolderIsNamedWhenItsPluginIsNotFound() throws {
    let (folder, _) = try folderWithPlugin()
    try setMode(0o777, of: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertThrowsError(try catalog.find(.learner, id: "fixture")) { error in
      XCTAssertTrue("\(error)".contains("not opened: \(folder): is world-writable"), "\(error)")
    }
  }

  // MARK: The command line

  private func eqprop(_ arguments: [String]) throws -> ProcessRunner.Result {
    try ProcessRunner.run(RepositoryPaths.binaryFolder + "/eqprop", arguments)
  }

  func testEveryCommandThatLoadsPluginsTakesTheFlag() throws {
    for command in [
      ["train"], ["eval"], ["check"], ["call"], ["bench"], ["plugins"], ["config", "show"],
      ["config", "check"],
    ] {
      let help = try eqprop(command + ["--help"]).standardOutput
      XCTAssertTrue(help.contains("--allow-insecure-plugins"), "eqprop \(command) --help:\n\(help)")
    }
  }

  func testPluginsCommandRefusesAWorldWritableFolderUnlessAllowed() throws {
    let (folder, file) = try folderWithPlugin()
    try setMode(0o777, of: folder)
    let refused = try eqprop(["plugins", "--plugins", folder])
    XCTAssertEqual(refused.status, 1)
    XCTAssertTrue(
      refused.standardOutput.contains(
        "refused: \(folder): is world-writable (mode 0777), so others could change the plugin "
          + "code loaded from it; `chmod o-w \(folder)` fixes that, or pass "
          + "--allow-insecure-plugins to load it anyway"), refused.standardOutput)
    let allowed = try eqprop(["plugins", "--plugins", folder, "--allow-insecure-plugins"])
    XCTAssertEqual(allowed.status, 0, allowed.standardOutput)
    XCTAssertTrue(allowed.standardOutput.contains(file), allowed.standardOutput)
  }
}
