import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// `eqprop config show|check` and `--set` on the commands that read configs, run as a user
/// would run them.
final class ConfigCommandTests: XCTestCase {
  private var eqprop: String { RepositoryPaths.binaryFolder + "/eqprop" }

  private func config() throws -> String {
    let path = try CPluginBuilder.temporaryFolder("eqprop-config") + "/c.yaml"
    try """
      model: {id: dense, layers: [10, 32, 784]}
      dynamics: {id: discrete, free_steps: 5}
      learner: {id: ep, nudged_steps: 2, beta: 0.5}
      optimizer: {lr: [0.1, 0.1]}
      """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func testShowPrintsTheResolvedConfigWithSettingsAndDefaults() throws {
    let file = try config()
    let result = try ProcessRunner.run(
      eqprop, ["config", "show", file, "--set", "learner.beta=0.2", "--set", "optimizer.lr=[0.1,0.05]"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let text = result.standardOutput
    for line in ["  beta: 0.2", "  lr: [0.1, 0.05]", "  beta_sign: positive", "  epsilon: 1.0", "  batch_size: 20"] {
      XCTAssertTrue(text.contains(line + "\n"), "«\(text)» lacks «\(line)»")
    }
    // It is the run folder's config.yaml: it resolves to itself.
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let again = try RunConfig.resolve(ConfigParser.parse(text: text, source: "shown"), source: "shown", catalog: catalog)
    XCTAssertEqual(again.resolvedText, text)
  }

  func testShowJSONKeepsTheOrder() throws {
    let result = try ProcessRunner.run(eqprop, ["config", "show", try config(), "--json"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let object = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let learner = try XCTUnwrap(object["learner"] as? [String: Any])
    XCTAssertEqual(learner["beta"] as? Double, 0.5)
    // A config without a name is named after its file, c.yaml.
    XCTAssertTrue(result.standardOutput.hasPrefix("{\"name\": \"c\", \"seed\": 0"), result.standardOutput)
  }

  func testCheckExitsOneWithTheMessage() throws {
    let file = try config()
    let good = try ProcessRunner.run(eqprop, ["config", "check", file])
    XCTAssertEqual(good.status, 0, good.standardError)
    XCTAssertEqual(good.standardOutput, "\(file): ok\n")
    let bad = try ProcessRunner.run(eqprop, ["config", "check", file, "--set", "optimizer.lr=[0.1]"])
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.standardError.contains("error: optimizer.lr: 1 learning rates given"), bad.standardError)
  }

  func testMalformedSetIsAUsageErrorOnEveryCommand() throws {
    let file = try config()
    for arguments in [["train", file], ["check", "gdu", file], ["config", "show", file], ["eval", file]] {
      let result = try ProcessRunner.run(eqprop, arguments + ["--set", "learner.beta"])
      XCTAssertEqual(result.status, 64, "\(arguments): \(result.standardError)")
      XCTAssertTrue(result.standardError.contains("--set learner.beta: no '='"), result.standardError)
    }
  }

  func testBenchPassesSettingsToEveryTrainChild() throws {
    let result = try ProcessRunner.run(
      eqprop,
      ["bench", "--train", try config(), "--batches", "1", "--repeats", "1", "--json",
       "--set", "training.batch_size=2", "--set", "model.layers=[10, 4, 784]"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let rows = try XCTUnwrap(json["training"] as? [[String: Any]])
    XCTAssertEqual(rows.first?["batch_size"] as? Int, 2)
  }

  func testTrainRefusesAMisspeltSetBeforeLoadingData() throws {
    let result = try ProcessRunner.run(eqprop, ["train", try config(), "--set", "learner.betta=0.2"])
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.standardError.contains("learner.betta: unknown key; did you mean 'beta'?"), result.standardError)
  }
}
