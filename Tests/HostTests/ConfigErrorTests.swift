import TestSupport
import XCTest

@testable import EqpropHost

/// Every config refusal starts with the path of the key it is about, and says what would be
/// right (issue 7: "every config error message names the key").
final class ConfigErrorTests: XCTestCase {
  private let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))

  private let valid = """
    model: {id: dense, layers: [10, 32, 784]}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.1, 0.1]}
    """

  /// The message of resolving `valid` with `settings` and starting its session.
  private func refusal(_ settings: [String]) -> String {
    do {
      let run = try RunConfig.resolve(
        ConfigParser.parse(text: valid, source: "c.yaml"), source: "c.yaml", catalog: catalog,
        overrides: .init(settings: settings.map(ConfigSetting.init(parsing:))))
      _ = try TrainingSession(config: run, trainingExamples: 0)
      return "accepted"
    } catch let error as ConfigError {
      return error.message
    } catch let error as PluginFailure {
      return error.message
    } catch {
      return "\(error)"
    }
  }

  func testEveryRefusalStartsWithTheKey() {
    let cases: [(settings: [String], message: String)] = [
      (["trainin.epochs=2"], "trainin: unknown section; did you mean 'training'?"),
      (["learner.bta=0.1"], "learner.bta: unknown key; did you mean 'beta'?"),
      (["dynamics.free_steps=five"], "dynamics.free_steps: must be an integer, found a string (five)"),
      (["learner.nudged_steps=0"], "learner.nudged_steps: 0 is below the minimum 1"),
      (["optimizer.momentum=1.5"], "optimizer.momentum: 1.5 is above the maximum 0.999"),
      (["seed=-1"], "seed: -1 is below the minimum 0"),
      (["learner.id=epp"], "learner.id: no learner plugin with id 'epp' was found"),
      (["optimizer.lr=[0.1]"], "optimizer.lr: 1 learning rates given, the model has 2 parameter groups"),
      (["optimizer.lr=[0.1, x]"], "optimizer.lr[1]: must be a number, found a string (x)"),
      (["dtype=f16"], "dtype: f16 is not one of f32, f64; did you mean 'f32'?"),
      (["check.input=rnd"], "check.input: rnd is not one of data, random"),
      (["data.augment=[flip, flop]"], "data.augment[1]: flop is not an augmentation; did you mean 'flip'?"),
      (["data.augment=flip"], "data.augment: must be a list of flip, crop, found a string (flip)"),
      (["training=3"], "training: must be a map of options, found an integer"),
    ]
    for (settings, message) in cases {
      let found = refusal(settings)
      XCTAssertTrue(found.hasPrefix(message), "\(settings): «\(found)» does not start with «\(message)»")
    }
  }

  func testPluginIdSuggestionAndPluginOptionPath() {
    XCTAssertTrue(refusal(["learner.id=epp"]).hasSuffix("did you mean 'ep'?"), refusal(["learner.id=epp"]))
    // A value the plugin itself refuses names the key's full path too.
    let activation = refusal(["model.activation=tanhh"])
    XCTAssertTrue(activation.contains("model.activation: \"tanhh\" is not one of"), activation)
  }
}
