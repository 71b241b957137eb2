import TestSupport
import XCTest

@testable import EqpropHost

/// Config errors name the key's path and say what would be right.
final class ConfigTests: XCTestCase {
  private let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))

  private let valid = """
    model: {id: dense, layers: [10, 32, 784]}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.1, 0.1]}
    """

  private func resolve(_ text: String) throws -> RunConfig {
    try RunConfig.resolve(ConfigParser.parse(text: text, source: "c.yaml"), source: "c.yaml", catalog: catalog)
  }

  private func assertRejected(_ text: String, saying fragments: [String], line: UInt = #line) {
    XCTAssertThrowsError(try resolve(text), line: line) { error in
      let message = "\(error)"
      for fragment in fragments {
        XCTAssertTrue(message.contains(fragment), "«\(message)» lacks «\(fragment)»", line: line)
      }
    }
  }

  func testDefaultsAreFilledIn() throws {
    let run = try resolve(valid)
    XCTAssertEqual(run.batchSize, 20)
    XCTAssertEqual(run.epochs, 1)
    XCTAssertEqual(run.learner.options["beta_sign"], .string("positive"))
    XCTAssertEqual(run.dynamics.options["epsilon"], .float(1))
    let text = run.resolved.yamlText()
    XCTAssertTrue(text.contains("beta_sign: positive"), text)
    // The resolved text parses back to the same config.
    let again = try resolve(text)
    XCTAssertEqual(again.resolved, run.resolved)
  }

  /// An integer option keeps its value exactly: read through Double, Int64.max became 2^63,
  /// which no Int holds, and the conversion trapped.
  func testTheLargestIntegerIsReadExactly() throws {
    let run = try resolve(valid + "\ncheck: {nudged_steps: 9223372036854775807}")
    XCTAssertEqual(run.check.nudgedSteps, Int.max)
  }

  /// The resolved text is a run folder's config.yaml, which resuming reads back: every string
  /// and map must come back as it was. Line breaks came back as spaces, control characters
  /// were refused, a lone "-" read as a list entry, an empty map as an empty string, and a
  /// long key was not read as a key.
  func testResolvedTextReadsBackAsTheSameConfig() throws {
    let names = [
      #""a\nb""#, #""\r""#, #""\x01""#, #""a\0b""#, #""\x7f""#, #""\x85""#, #""\u2029""#,
      #""\uFFFE""#, #""-""#, #""tab\tquote\"backslash\\""#,
    ]
    // 600 tabs are written as 1200 characters, beyond YAML's 1024 for an implicit key.
    let tabs = "\"" + String(repeating: "\t", count: 600) + "\""
    let trees = [
      "{}", "{a: {b: {}}}", #"[{"a: b": 1}]"#, #"[{"": 1}]"#, #"{"-": {}, "true": 1}"#,
      "[{\(tabs): 1}]", "{\(tabs): {a: 1}}",
    ]
    let conv = { (tree: String) in
      self.valid.replacingOccurrences(
        of: "{id: dense, layers: [10, 32, 784]}", with: "{id: conv, conv: \(tree)}")
    }
    for config in names.map({ valid + "\nname: " + $0 }) + trees.map(conv) {
      let run = try resolve(config)
      let again = try resolve(run.resolvedText)
      XCTAssertEqual(again.resolved, run.resolved, "\(config)\nwrote\n\(run.resolvedText)")
    }
  }

  func testUnknownKeySuggestsTheClosest() {
    assertRejected(
      valid.replacingOccurrences(of: "beta: 0.5", with: "betta: 0.5"),
      saying: ["learner.betta: unknown key", "did you mean 'beta'?"])
  }

  func testImpossibleValuesNameTheKey() {
    assertRejected(
      valid.replacingOccurrences(of: "nudged_steps: 2", with: "nudged_steps: 0"),
      saying: ["learner.nudged_steps: 0 is below the minimum 1"])
    assertRejected(
      valid.replacingOccurrences(of: "free_steps: 5", with: "free_steps: five"),
      saying: ["dynamics.free_steps: must be an integer, found a string"])
    assertRejected(
      valid + "\ntraining: {batch_size: -1}", saying: ["training.batch_size: -1 is below the minimum 1"])
  }

  func testMissingAndUnknownSectionsAndPlugins() {
    assertRejected(
      valid.replacingOccurrences(of: "learner: {id: ep, nudged_steps: 2, beta: 0.5}", with: ""),
      saying: ["learner: missing"])
    assertRejected(valid + "\ntrainning: {epochs: 2}", saying: ["trainning: unknown section", "did you mean 'training'?"])
    assertRejected(
      valid.replacingOccurrences(of: "id: ep", with: "id: nope"),
      saying: ["learner.id: no learner plugin with id 'nope'", "available:", "ep"])
    assertRejected(
      valid.replacingOccurrences(of: "beta: 0.5}", with: "}"), saying: ["learner.beta: required"])
  }

  func testWrongLearningRateCountIsRefusedWhenTheSessionStarts() throws {
    let run = try resolve(valid.replacingOccurrences(of: "lr: [0.1, 0.1]", with: "lr: [0.1]"))
    XCTAssertThrowsError(try TrainingSession(config: run, trainingExamples: 1)) { error in
      XCTAssertTrue("\(error)".contains("optimizer.lr: 1 learning rates given, the model has 2 parameter groups"), "\(error)")
    }
  }

  func testBadYamlNamesTheFile() {
    XCTAssertThrowsError(try ConfigParser.parse(text: "model: [unclosed", source: "bad.yaml")) { error in
      XCTAssertTrue("\(error)".hasPrefix("bad.yaml: not valid YAML"), "\(error)")
    }
  }
}
