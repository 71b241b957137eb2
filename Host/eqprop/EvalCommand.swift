import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop eval CHECKPOINT`: the test error of saved weights.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate saved weights (a run folder, or its weights.safetensors) on the test set.")

  @Argument(help: "A run folder or a weights.safetensors with config.yaml beside it.")
  var checkpoint: String

  @Option(help: "A data folder (MNIST-format IDX or CIFAR-10 binary) or a name (default: the run's).")
  var data: String?

  @OptionGroup var settings: ConfigSettingOptions

  @Option(name: .customLong("plugins"), help: "A folder to search for plugins first (repeatable).")
  var pluginFolders: [String] = []

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    let catalog = PluginCatalog.load(PluginSearchPath.standard(commandLine: pluginFolders))
    let paths = RunFolder.locate(checkpoint)
    let runConfig: RunConfig
    do {
      runConfig = try RunConfig.load(file: paths.config, catalog: catalog, overrides: .init(settings: settings.values, data: data))
    } catch {
      throw ValidationError(error.message)
    }
    do throws(PluginFailure) {
      let job = try TrainingJob(config: runConfig)
      try RunFolder.loadWeights(paths.weights, into: job.session)
      let result = try Trainer(session: job.session, train: job.train, test: job.test).evaluate()
      if json {
        print("{\"test_error\": \(result.error), \"test_loss\": \(result.loss), \"examples\": \(job.test.count)}")
      } else {
        print("test_error \(result.error * 100)%  test_loss \(result.loss)  examples \(job.test.count)")
      }
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
  }
}
