import Foundation
import TestSupport
import XCTest

/// examples/c-learner: built with the one `cc` command its header comment shows, dropped into
/// a folder, and run by the unchanged host for a few batches.
final class CLearnerExampleTests: XCTestCase {
  func testCLearnerTrainsThroughTheUnchangedHost() throws {
    let eqprop = RepositoryPaths.binaryFolder + "/eqprop"
    let hash = { () throws -> String in
      try ProcessRunner.run("/usr/bin/env", ["sha256sum", eqprop]).standardOutput
    }
    let before = try hash()
    let plugins = try CPluginBuilder.temporaryFolder("eqprop-c-learner")
    try CPluginBuilder.build(
      source: RepositoryPaths.root + "/examples/c-learner/ep_random_sign.c", name: "ep_random_sign",
      into: plugins, defines: [])
    // The example's config, cut to a few batches.
    let example = try String(
      contentsOfFile: RepositoryPaths.root + "/examples/c-learner/p1h-ep-c.yaml", encoding: .utf8)
    let config = plugins + "/short.yaml"
    try example.replacingOccurrences(
      of: "  batch_size: 20", with: "  batch_size: 20\n  train_limit: 100\n  test_limit: 100"
    ).write(toFile: config, atomically: true, encoding: .utf8)
    let out = plugins + "/run"
    let result = try ProcessRunner.run(
      eqprop, ["train", config, "--plugins", plugins, "--data", RepositoryPaths.mnist, "--out", out, "--json"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let summary = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data((result.standardOutput.split(separator: "\n").last ?? "").utf8))
        as? [String: Any], result.standardOutput)
    let testError = try XCTUnwrap(summary["test_error"] as? Double)
    XCTAssertTrue((0...1).contains(testError))
    XCTAssertEqual(summary["epochs"] as? Int, 1)
    // The C learner measured the nudge with the host kernel and logged it.
    XCTAssertTrue(result.standardError.contains("nudge_shift"), result.standardError)
    XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/weights.safetensors"))
    XCTAssertEqual(try hash(), before)
  }
}
