import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop train CONFIG` or `eqprop train --resume RUN`: trains into a run folder, showing
/// progress on stderr.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train the model, dynamics and learner a config names, or resume a run.",
    discussion: """
      Trains into a run folder (runs/NAME unless --out): config.yaml (resolved), run.json \
      (plugins, library SHA-256s, machine, seed, command line), metrics.jsonl (a line per \
      --log-every batches and per epoch), checkpoint.json with its tensors file (at each \
      epoch's end and every --checkpoint-every batches), best.json with --best, and \
      weights.safetensors at the end. A folder that holds a run is never trained over: \
      --resume RUN continues it from its latest checkpoint, with exactly the weights an \
      uninterrupted run reaches. A run that diverges (NaN or Inf in states or θ) stops naming \
      the plugin, the place and the tensor, keeping its last good checkpoint; a folder that \
      cannot be written, or a disk too small for the checkpoints, is refused before training. \
      Progress goes to stderr: a bar on a terminal, lines otherwise. \
      With --json, stdout ends with one JSON object: test_error, train_error (fractions), \
      epochs, seconds (training passes only), examples_per_second, run_folder, and per_epoch \
      values with the metrics.
      """)

  @Argument(
    help: "A YAML config (see examples/); with --resume, optional, and checked against the run's.")
  var config: String?

  @Option(
    help: ArgumentHelp(
      "Continue the run in this folder from its latest checkpoint.", valueName: "run"))
  var resume: String?

  @Option(help: "A data folder (MNIST-format IDX or CIFAR-10 binary) or a name: mnist, fashion-mnist.")
  var data: String?

  @OptionGroup var settings: ConfigSettingOptions

  @Option(help: "Epochs, replacing training.epochs (with --resume, may extend a finished run).")
  var epochs: Int?

  @Option(help: "Seed, replacing the config's.")
  var seed: UInt64?

  @Option(help: "The run folder (default runs/NAME).")
  var out: String?

  @Option(
    help: ArgumentHelp(
      "Batches per line of metrics.jsonl, replacing training.log_every (default 100).",
      valueName: "n"))
  var logEvery: Int?

  @Option(
    help: ArgumentHelp(
      "A checkpoint every N batches besides each epoch's end (0: epoch ends only; default 0, or the resumed run's choice).",
      valueName: "n"))
  var checkpointEvery: Int?

  @Flag(help: "Also keep best.json and its tensors: the epoch of lowest test error.")
  var best = false

  @Flag(help: "Print only errors and the final summary.")
  var quiet = false

  @Option(
    help: ArgumentHelp(
      "The lowest log level shown: \(HostLog.levelNames.joined(separator: ", ")) (default notice; error with --quiet).",
      valueName: "level"))
  var logLevel: String?

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  @OptionGroup(title: "Communicator")
  var communicator: CommunicatorOptions

  @Flag(help: "End stdout with a JSON summary.")
  var json = false

  /// The tests' way to kill a run at a known point (`RunOptions.exitAfterBatches`).
  @Option(help: .hidden)
  var exitAfterBatches: Int?

  /// The tests' way to crash a run with SIGKILL at a known point (`KillPoint`).
  @Option(help: .hidden)
  var killAt: String?

  func validate() throws {
    if config == nil, resume == nil {
      throw ValidationError("give a CONFIG to train, or --resume RUN to continue a run")
    }
    if resume != nil, out != nil {
      throw ValidationError("--resume RUN names the run folder already; drop --out")
    }
    if let resume, seed != nil {
      throw ValidationError(
        "--seed: a resumed run keeps its seed (\(resume)/config.yaml); drop --seed")
    }
    for (name, value, least) in [
      ("--epochs", epochs, 1), ("--log-every", logEvery, 1),
      ("--checkpoint-every", checkpointEvery, 0),
      ("--exit-after-batches", exitAfterBatches, 1),
    ] {
      if let value, value < least {
        throw ValidationError("\(name) must be at least \(least), got \(value)")
      }
    }
    if let killAt, KillPoint(argument: killAt) == nil {
      throw ValidationError("--kill-at \(killAt) is not \(KillPoint.forms)")
    }
    if let logLevel, !HostLog.levelNames.contains(logLevel) {
      throw ValidationError(
        "--log-level \(logLevel) is not one of \(HostLog.levelNames.joined(separator: ", "))")
    }
  }

  func run() throws {
    _ = HostLog.setLevel(named: logLevel ?? (quiet ? "error" : "notice"))
    let catalog = plugins.catalog
    for notice in catalog.notices { HostLog.notice(notice) }
    let overrides = RunConfig.Overrides(
      settings: settings.values, epochs: epochs, seed: seed, data: data, logEvery: logEvery)
    let runConfig: RunConfig
    do {
      if let resume {
        runConfig = try RunConfig.forResuming(
          resume, given: config, catalog: catalog, overrides: overrides)
      } else {
        runConfig = try RunConfig.load(file: config ?? "", catalog: catalog, overrides: overrides)
      }
    } catch {
      throw ValidationError(error.message)
    }
    var options = RunOptions()
    options.checkpointEvery = checkpointEvery
    options.keepBest = best ? true : nil
    options.exitAfterBatches = exitAfterBatches
    options.killAt = killAt.flatMap(KillPoint.init(argument:))
    options.display = quiet ? .quiet : .automatic
    options.commandLine = CommandLine.arguments
    let job: any Communicator
    do {
      job = try Communicators.open(communicator.choice, catalog: catalog)
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
    // Rank 0 speaks for the run; the others' notices would repeat its own.
    if !job.isLeader, logLevel == nil { _ = HostLog.setLevel(named: "warning") }
    do throws(PluginFailure) {
      let training =
        if let resume {
          try TrainingRun.resume(runConfig, in: resume, options: options, communicator: job)
        } else {
          try TrainingRun.begin(
            runConfig, in: out ?? "runs/" + runConfig.name, options: options, communicator: job)
        }
      let reports = try training.run()
      job.close()
      guard job.isLeader else { return }
      let last =
        reports.last.map { "test_error \(percent($0.testError)) after epoch \($0.epoch); " } ?? ""
      FileHandle.standardError.write(
        Data("\(last)saved \(training.folder)/\(RunFolder.weightsName)\n".utf8))
      if json { print(Summary.json(reports, folder: training.folder)) }
    } catch {
      if let failed = error.agreedFrom {
        // Every rank knows: the one that failed says why, and all leave the job cleanly.
        if failed == job.rank {
          FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        }
        job.close()
        throw ExitCode(1)
      }
      let rank = job.size > 1 ? "rank \(job.rank): " : ""
      FileHandle.standardError.write(Data("error: \(rank)\(error.message)\n".utf8))
      // Another rank may be waiting in a collective this one will never reach: end them all.
      if job.size > 1 { job.abort(code: 1) }
      throw ExitCode(1)
    }
  }

  private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
}
