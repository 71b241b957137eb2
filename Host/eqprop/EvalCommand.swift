import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop eval CHECKPOINT`: the test error of saved weights.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract:
      "Evaluate saved weights on the test set: a run folder, a checkpoint or a weights file.",
    discussion: """
      CHECKPOINT is a run folder (its weights.safetensors, else its latest checkpoint), a \
      checkpoint sidecar (checkpoint.json, best.json: the tensors file it names), or a \
      .safetensors file (weights, checkpoint or best); the run's config.yaml lies beside it.
      """)

  @Argument(
    help:
      "A run folder, checkpoint.json, best.json or .safetensors file with config.yaml beside it.")
  var checkpoint: String

  @Option(help: "A data folder (MNIST-format IDX or CIFAR-10 binary) or a name (default: the run's).")
  var data: String?

  @OptionGroup var settings: ConfigSettingOptions

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    let catalog = plugins.catalog
    let paths: (weights: String, config: String)
    let runConfig: RunConfig
    do {
      paths = try RunFolder.locate(checkpoint)
      runConfig = try RunConfig.load(
        file: paths.config, catalog: catalog, overrides: .init(settings: settings.values, data: data))
    } catch let error as PluginFailure {
      throw ValidationError(error.message)
    } catch let error as ConfigError {
      throw ValidationError(error.message)
    }
    do throws(PluginFailure) {
      let job = try TrainingJob(config: runConfig)
      try RunFolder.loadWeights(paths.weights, into: job.session)
      let result = try Trainer(session: job.session, train: job.train, test: job.test).evaluate()
      if json {
        let object: [String: Any] = [
          "test_error": result.error, "test_loss": result.loss, "examples": job.test.count,
          "weights": paths.weights,
        ]
        let text = try? JSONSerialization.data(
          withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: text ?? Data("{}".utf8), as: UTF8.self))
      } else {
        print(
          "test_error \(result.error * 100)%  test_loss \(result.loss)  examples \(job.test.count)  weights \(paths.weights)"
        )
      }
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
  }
}
