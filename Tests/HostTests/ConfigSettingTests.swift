import TestSupport
import XCTest

@testable import EqpropHost

/// `--set KEY=VALUE`: parsed as YAML, written into the parsed file before it is checked, so a
/// misspelt key gets the file's refusal, and a key that cannot exist is refused naming it.
final class ConfigSettingTests: XCTestCase {
  private let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))

  private let file = """
    model: {id: dense, layers: [10, 32, 784]}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.1, 0.1]}
    """

  private func resolve(_ settings: [String], epochs: Int? = nil) throws -> RunConfig {
    try RunConfig.resolve(
      ConfigParser.parse(text: file, source: "c.yaml"), source: "c.yaml", catalog: catalog,
      overrides: .init(settings: settings.map(ConfigSetting.init(parsing:)), epochs: epochs))
  }

  private func assertRefused(_ settings: [String], saying fragments: [String], line: UInt = #line) {
    XCTAssertThrowsError(try resolve(settings), line: line) { error in
      for fragment in fragments {
        XCTAssertTrue("\(error)".contains(fragment), "«\(error)» lacks «\(fragment)»", line: line)
      }
    }
  }

  func testValuesAreReadAsYAML() throws {
    XCTAssertEqual(try ConfigSetting(parsing: "learner.beta=0.2").value, .float(0.2))
    XCTAssertEqual(try ConfigSetting(parsing: "optimizer.lr=[0.1,0.05]").value, .list([.float(0.1), .float(0.05)]))
    XCTAssertEqual(try ConfigSetting(parsing: "model.activation=tanh").value, .string("tanh"))
    XCTAssertEqual(try ConfigSetting(parsing: "check.beta=1e-3").value, .float(0.001))
    XCTAssertEqual(try ConfigSetting(parsing: "name=").value, .string(""))
    XCTAssertEqual(try ConfigSetting(parsing: "name=a=b").value, .string("a=b"))
    XCTAssertEqual(try ConfigSetting(parsing: "model.layers[1]=64").path.description, "model.layers[1]")
  }

  func testMalformedSettingsAreRefusedNamingThem() {
    let cases: [(String, String)] = [
      ("learner.beta", "--set learner.beta: no '='; write --set KEY=VALUE"),
      ("=3", "--set =3: '' is not a key path"),
      ("learner..beta=3", "'learner..beta' is not a key path"),
      ("model.layers[x]=3", "'model.layers[x]' is not a key path"),
      ("optimizer.lr=[0.1,", "--set optimizer.lr: not valid YAML"),
    ]
    for (argument, expected) in cases {
      XCTAssertThrowsError(try ConfigSetting(parsing: argument)) { error in
        XCTAssertTrue("\(error)".contains(expected), "«\(error)» lacks «\(expected)»")
      }
    }
  }

  func testSettingsReplaceAndAddValuesBeforeTheChecks() throws {
    let run = try resolve([
      "learner.beta=0.2", "optimizer.lr=[0.1,0.05]", "model.activation=tanh", "model.layers[1]=64",
      "training.epochs=3", "data.augment=[flip]",
    ])
    XCTAssertEqual(run.learner.options["beta"], .float(0.2))
    XCTAssertEqual(run.learningRates, [0.1, 0.05])
    XCTAssertEqual(run.model.options["activation"], .string("tanh"))
    XCTAssertEqual(run.model.options["layers"], .list([.int(10), .int(64), .int(784)]))
    XCTAssertEqual(run.epochs, 3)
    XCTAssertEqual(run.data.augment, [.flip])
    // The resolved config records what the run used.
    XCTAssertTrue(run.resolvedText.contains("beta: 0.2"), run.resolvedText)
  }

  func testDedicatedOptionsWinOverSettings() throws {
    XCTAssertEqual(try resolve(["training.epochs=3"], epochs: 5).epochs, 5)
  }

  func testMisspeltKeysGetTheFilesRefusal() {
    assertRefused(["learner.betta=0.2"], saying: ["learner.betta: unknown key", "did you mean 'beta'?"])
    assertRefused(["trainng.epochs=2"], saying: ["trainng: unknown section", "did you mean 'training'?"])
    assertRefused(["learner.beta=-1"], saying: ["learner.beta: -1.0 is below the minimum 0.0"])
  }

  func testKeysThatCannotExistAreRefusedNamingThem() {
    assertRefused(
      ["learner.beta.sign=1"],
      saying: ["--set learner.beta.sign=1: learner.beta is a number (0.5), so it has no key 'sign'"])
    assertRefused(
      ["model.layers[3]=5"],
      saying: ["--set model.layers[3]=5: model.layers has 3 element(s), so [3] is out of range"])
    assertRefused(["hooks[0].every=epoch"], saying: ["hooks is not in the config, so it has no element [0]"])
  }
}
