import TestSupport
import XCTest

@testable import EqpropHost

/// What a resumed run may change in its config (epochs, logging, the data's folder) and what
/// it may not, named by key.
final class ConfigIdentityTests: XCTestCase {
  private let catalog = PluginCatalog.load(
    PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))

  private func resolve(_ text: String) throws -> RunConfig {
    try RunConfig.resolve(
      ConfigParser.parse(text: text, source: "c.yaml"), source: "c.yaml", catalog: catalog)
  }

  func testOnlyResumableKeysMayDiffer() throws {
    let base = try resolve(TinyRun.config)
    let longer = try resolve(
      TinyRun.config.replacingOccurrences(of: "epochs: 3", with: "epochs: 9, log_every: 7")
        .replacingOccurrences(of: "data: {dir: ", with: "data: {dir: /elsewhere/"))
    XCTAssertNil(longer.identityDifference(from: base))
    XCTAssertEqual(longer.identityDigest, base.identityDigest)
    let other = try resolve(
      TinyRun.config.replacingOccurrences(of: "lr: [0.05, 0.1]", with: "lr: [0.05, 0.2]"))
    let difference = try XCTUnwrap(other.identityDifference(from: base))
    XCTAssertEqual(difference.path, "optimizer.lr[1]")
    XCTAssertEqual(difference.mine, "0.2")
    XCTAssertEqual(difference.theirs, "0.1")
    XCTAssertNotEqual(other.identityDigest, base.identityDigest)
  }

  func testDifferencesNameMissingKeysAndListLengths() {
    let a = ConfigValue.map([("hooks", .list([.int(1)])), ("x", .int(1))])
    let b = ConfigValue.map([("hooks", .list([.int(1), .int(2)]))])
    XCTAssertEqual(a.firstDifference(from: b)?.path, "hooks")
    XCTAssertEqual(a.firstDifference(from: .map([("hooks", .list([.int(1)]))]))?.theirs, "absent")
    XCTAssertNil(a.firstDifference(from: a))
  }

  func testLogEveryIsCheckedAndOverridden() throws {
    XCTAssertEqual(try resolve(TinyRun.config).logEvery, 100)
    XCTAssertThrowsError(
      try resolve(
        TinyRun.config.replacingOccurrences(of: "epochs: 3", with: "epochs: 3, log_every: 0"))
    ) {
      XCTAssertTrue("\($0)".contains("training.log_every"), "\($0)")
    }
    let run = try RunConfig.resolve(
      ConfigParser.parse(text: TinyRun.config, source: "c.yaml"), source: "c.yaml",
      catalog: catalog,
      overrides: .init(logEvery: 4))
    XCTAssertEqual(run.logEvery, 4)
    XCTAssertEqual(run.resolved["training"]?["log_every"], .int(4))
  }

  func testAConfigFileWithoutANameIsNamedAfterTheFile() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let file = folder + "/p9h-ep.yaml"
    try TinyRun.config.replacingOccurrences(of: "name: tiny\n", with: "")
      .write(toFile: file, atomically: true, encoding: .utf8)
    XCTAssertEqual(try RunConfig.load(file: file, catalog: catalog).name, "p9h-ep")
    try TinyRun.config.write(toFile: file, atomically: true, encoding: .utf8)
    XCTAssertEqual(try RunConfig.load(file: file, catalog: catalog).name, "tiny")
  }

  func testSHA256MatchesTheStandardsVector() {
    XCTAssertEqual(
      SHA256Digest.hex(of: [Array("ab".utf8), Array("c".utf8)]),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }
}
