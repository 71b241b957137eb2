@preconcurrency import CEqprop
import Foundation
import TestSupport
import XCTest

/// The built `eqprop` binary loads a C plugin compiled after it, unchanged (DESIGN: plugins
/// are added without rebuilding the host).
final class CommandLineTests: XCTestCase {
  private var eqprop: String { RepositoryPaths.binaryFolder + "/eqprop" }

  private func sha256(_ path: String) throws -> String {
    let result = try ProcessRunner.run("/usr/bin/env", ["sha256sum", path])
    return String(result.standardOutput.prefix(64))
  }

  func testPluginsListsACPluginBuiltAfterTheHost() throws {
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: eqprop), "no eqprop at \(eqprop); run swift build first")
    let before = try sha256(eqprop)
    let folder = try CPluginBuilder.temporaryFolder()
    let file = try CPluginBuilder.fixture(into: folder)
    let result = try ProcessRunner.run(eqprop, ["plugins", "--plugins", folder, "--json"])
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    let json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let plugins = try XCTUnwrap(json["plugins"] as? [[String: Any]])
    let fixture = try XCTUnwrap(plugins.first { $0["id"] as? String == "fixture" })
    XCTAssertEqual(fixture["kind"] as? String, "learner")
    XCTAssertEqual(fixture["file"] as? String, file)
    XCTAssertEqual(fixture["abi"] as? String, "1.\(EQP_ABI_MINOR)")
    // The Swift plugin SwiftPM built beside the executable is found too.
    let discrete = try XCTUnwrap(plugins.first { $0["id"] as? String == "discrete" })
    XCTAssertEqual(discrete["kind"] as? String, "dynamics")
    // Every capability bit this host defines has a name (not a raw hex value).
    let vf = try XCTUnwrap(plugins.first { $0["id"] as? String == "vf" })
    XCTAssertEqual(vf["capabilities"] as? [String], ["vjp", "f64", "step_update", "apply_step"])
    XCTAssertEqual(try sha256(eqprop), before, "the host binary must not change")
  }

  func testPluginsExitsNonZeroAndExplainsARefusal() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.fixture(["FIXTURE_OTHER_MAJOR"], into: folder)
    let result = try ProcessRunner.run(eqprop, ["plugins", "--plugins", folder])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.standardOutput.contains("refused: \(folder)/libfixture.so: was built for ABI 2.\(EQP_ABI_MINOR)"), result.standardOutput)
  }

  func testSwiftPluginExportsOnlyTheEntrySymbol() throws {
    let library = RepositoryPaths.binaryFolder + "/libeqprop_discrete.so"
    let result = try ProcessRunner.run("/usr/bin/env", ["nm", "-D", "--defined-only", library])
    XCTAssertEqual(result.status, 0, result.standardError)
    // Global symbols have an upper-case type letter; local ones (kept for Swift's runtime
    // metadata lookups) a lower-case one.
    let globals = result.standardOutput.split(separator: "\n").compactMap { line -> String? in
      let fields = line.split(separator: " ")
      guard fields.count == 3, fields[1].first?.isUppercase == true else { return nil }
      return String(fields[2])
    }
    XCTAssertEqual(globals.filter { !["_edata", "_end", "__bss_start"].contains($0) }, ["eqp_plugin_entry"])
  }
}
