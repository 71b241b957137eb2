import Foundation
import TestSupport
import XCTest

/// `eqprop check` as CI would use it: exit 0 on a model that keeps the GDU property,
/// exit 1 on one that breaks it (the papers' non-gradient output row, spec pitfall 6).
final class CheckCommandTests: XCTestCase {
  private func config(outputRow: String) throws -> String {
    let folder = try CPluginBuilder.temporaryFolder("eqprop-check")
    let path = folder + "/check.yaml"
    try """
      dtype: f64
      model: {id: hopfield, layers: [10, 20, 12], activation: tanh, output_row: \(outputRow), clamp: false}
      dynamics: {id: discrete, epsilon: 0.2, free_steps: 20000, tolerance: 1.0e-13}
      learner: {id: ep, nudged_steps: 30, beta: 0.001}
      optimizer: {lr: [0.1, 0.1]}
      training: {batch_size: 2}
      check: {beta: 1.0e-4, nudged_steps: 30, input: random}
      """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  private func check(_ path: String) throws -> ProcessRunner.Result {
    try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop", ["check", "gdu", path, "--max-rel-error", "1e-3", "--json"])
  }

  func testExactEnergyModelPasses() throws {
    let result = try check(try config(outputRow: "exact"))
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let checks = try XCTUnwrap(json["checks"] as? [[String: Any]])
    let worst = try XCTUnwrap(checks.first?["worst_rel_mse"] as? Double)
    XCTAssertLessThan(worst, 1e-3)
  }

  func testReferenceOutputRowFailsTheThreshold() throws {
    let result = try check(try config(outputRow: "reference"))
    XCTAssertEqual(result.status, 1, result.standardOutput)
    XCTAssertTrue(result.standardError.contains("check failed: worst relative error"), result.standardError)
  }
}
