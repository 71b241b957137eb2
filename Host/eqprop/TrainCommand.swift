import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop train CONFIG`: trains, prints each epoch on stderr, saves the run folder.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train the model, dynamics and learner a config names.",
    discussion: """
      Prints train and test error, loss and examples/s per epoch on stderr, and saves \
      weights.safetensors and the resolved config.yaml in the run folder (runs/NAME unless \
      --out). With --json, stdout ends with one JSON object: test_error, train_error \
      (fractions), epochs, seconds (training passes only), examples_per_second, and per_epoch \
      values with the plugins' and hooks' metrics.
      """)

  @Argument(help: "A YAML config (see examples/).")
  var config: String

  @Option(help: "A data folder (MNIST-format IDX or CIFAR-10 binary) or a name: mnist, fashion-mnist.")
  var data: String?

  @OptionGroup var settings: ConfigSettingOptions

  @Option(help: "Epochs, replacing training.epochs.")
  var epochs: Int?

  @Option(help: "Seed, replacing the config's.")
  var seed: UInt64?

  @Option(help: "The run folder (default runs/NAME).")
  var out: String?

  @Option(name: .customLong("plugins"), help: "A folder to search for plugins first (repeatable).")
  var pluginFolders: [String] = []

  @Flag(help: "End stdout with a JSON summary.")
  var json = false

  func validate() throws {
    if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
  }

  func run() throws {
    let catalog = PluginCatalog.load(PluginSearchPath.standard(commandLine: pluginFolders))
    for notice in catalog.notices { HostLog.notice(notice) }
    let runConfig: RunConfig
    do {
      runConfig = try RunConfig.load(
        file: config, catalog: catalog,
        overrides: .init(settings: settings.values, epochs: epochs, seed: seed, data: data))
    } catch {
      throw ValidationError(error.message)
    }
    do throws(PluginFailure) {
      let job = try TrainingJob(config: runConfig)
      let folder = out ?? job.defaultOutput
      let reports = try job.run { report in
        FileHandle.standardError.write(Data((report.line + "\n").utf8))
      }
      try RunFolder.save(job.session, to: folder)
      FileHandle.standardError.write(Data("saved \(folder)/\(RunFolder.weightsName)\n".utf8))
      if json { print(Summary.json(reports, folder: folder)) }
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
  }
}

/// The JSON object `train --json` prints last.
enum Summary {
  static func json(_ reports: [EpochReport], folder: String) -> String {
    let seconds = reports.map(\.seconds).reduce(0, +)
    let examples = reports.map { $0.examplesPerSecond * $0.seconds }.reduce(0, +)
    let object: [String: Any] = [
      "test_error": reports.last?.testError ?? 1, "train_error": reports.last?.trainError ?? 1,
      "epochs": reports.count, "seconds": seconds,
      "examples_per_second": seconds > 0 ? examples / seconds : 0, "run_folder": folder,
      "per_epoch": reports.map {
        [
          "epoch": $0.epoch, "test_error": $0.testError, "train_error": $0.trainError,
          "train_loss": $0.trainLoss, "test_loss": $0.testLoss, "seconds": $0.seconds,
          "metrics": $0.metrics,
        ] as [String: Any]
      },
    ]
    // Numbers, strings and arrays of them always serialise.
    let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data ?? Data("{}".utf8), as: UTF8.self)
  }
}
