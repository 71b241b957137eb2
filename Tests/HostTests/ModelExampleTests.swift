import Foundation
import TestSupport
import XCTest

/// The model examples of docs/PLUGINS.md (examples/c-model in C, example-energy in Swift), run
/// by the unchanged host.
final class ModelExampleTests: XCTestCase {
  private func cModel() throws -> String {
    try CPluginBuilder.example("c-model/layered_energy.c", name: "layered_energy", libraries: ["m"])
  }

  /// `eqprop check gdu` on the example's check config. The model is an exact energy, so EP's
  /// updates match BPTT's to about β = 1e-4; that needs drive, vjp, param_grad and cost_grad
  /// to agree (a wrong index or sign in any gives errors of order 1).
  private func assertGDUCheckPasses(
    replacing replacements: [(String, String)] = [], plugins: [String] = []
  )
    throws
  {
    var text = try String(
      contentsOfFile: RepositoryPaths.root + "/examples/c-model/layered-energy-check.yaml",
      encoding: .utf8)
    for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
    let config = try CPluginBuilder.temporaryFolder("eqprop-example-check") + "/check.yaml"
    try text.write(toFile: config, atomically: true, encoding: .utf8)
    let result = try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop",
      ["check", "gdu", config, "--max-rel-error", "1e-3", "--json"]
        + plugins.flatMap { ["--plugins", $0] })
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    let json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let checks = try XCTUnwrap(json["checks"] as? [[String: Any]])
    XCTAssertLessThan(try XCTUnwrap(checks.first?["worst_rel_mse"] as? Double), 1e-3)
  }

  func testCModelKeepsTheGDUProperty() throws {
    try assertGDUCheckPasses(plugins: [try cModel()])
  }

  func testSwiftModelKeepsTheGDUProperty() throws {
    try assertGDUCheckPasses(replacing: [("id: example-c-energy", "id: example-energy")])
  }

  /// A thousand images lift it far from chance (0.9): 0.264 measured.
  func testCModelLearns() throws {
    let run = try ExampleRun(
      "c-model/layered-energy.yaml", plugins: try cModel(), train: 1000, test: 500)
    XCTAssertLessThan(try XCTUnwrap(run.testError), 0.5, run.standardError)
  }

  /// The same math through the same kernel calls: bit for bit the same θ after training.
  func testSwiftModelTrainsExactlyAsTheCModel() throws {
    let c = try ExampleRun("c-model/layered-energy.yaml", plugins: try cModel())
    let swift = try ExampleRun("swift-plugins/energy-model.yaml")
    XCTAssertEqual(swift.results, c.results)
    XCTAssertEqual(try swift.weights(), try c.weights())
  }
}
