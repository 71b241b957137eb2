import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop sweep SWEEP_FILE`: a grid of settings times seeds, a run folder each, spread over
/// the ranks of a job, and a table of mean ± std per setting.
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Train every setting of a grid with every seed and tabulate mean ± std.",
    discussion: """
      The sweep file (YAML) names a base config (relative to the sweep file), seeds: [...], \
      and optionally grid: (config keys as --set takes them, each with a list of values), \
      set: (values for every run) and out: (default runs/sweep-<file name>). Every run's \
      config is checked before anything trains. Run i of the grid × seeds goes to rank i mod \
      size (under mpirun), into OUT/<setting>-seed<seed>, as an ordinary run. Running the \
      sweep again continues it: finished runs are read back, partial ones resumed. A run that \
      fails is recorded and the sweep goes on (exit status 1 at the end). Rank 0 writes \
      OUT/sweep.yaml, OUT/summary.jsonl (a line per setting: mean, sample std and per-seed \
      values of final test error, final train error and best test error) and OUT/summary.md, \
      and prints the table.
      """)

  @Argument(help: "A sweep file (see examples/sweeps/).")
  var sweepFile: String

  @OptionGroup var settings: ConfigSettingOptions

  @Option(help: "A data folder or name, replacing data.dir in every run.")
  var data: String?

  @Option(help: "The sweep's folder, replacing the file's out.")
  var out: String?

  @Flag(help: "Print only errors and the table.")
  var quiet = false

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  @OptionGroup(title: "Communicator")
  var communicator: CommunicatorOptions

  func run() throws {
    _ = HostLog.setLevel(named: quiet ? "error" : "notice")
    let catalog = plugins.catalog
    for notice in catalog.notices { HostLog.notice(notice) }
    // Each run's own notices (plots written, resuming) would bury the sweep's lines.
    _ = HostLog.setLevel(named: quiet ? "error" : "warning")
    let communicator: any Communicator
    do {
      communicator = try Communicators.open(self.communicator.choice, catalog: catalog)
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
    let command = (["eqprop"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    let summary: SweepSummary?
    do {
      // Every rank reads the same file; the first to fail says why and all leave cleanly.
      let plan = try communicator.agree { () throws(PluginFailure) in
        let plan: SweepPlan
        do throws(ConfigError) {
          var sweep = try SweepFile.load(file: sweepFile).adding(settings.values, data: data)
          if let out { sweep.out = out }
          plan = try SweepPlan(sweep, catalog: catalog)
        } catch {
          throw PluginFailure("\(error)")
        }
        try plan.checkPlugins()
        return plan
      }
      let runner = SweepRunner(
        plan: plan, communicator: communicator, catalog: catalog,
        commandLine: CommandLine.arguments
      ) { line in
        if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
      }
      summary = try runner.run(command: command)
      communicator.close()
    } catch {
      if let failed = error.agreedFrom {
        if failed == communicator.rank { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
        communicator.close()
        throw ExitCode(1)
      }
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      // The other ranks would wait forever in the sweep's allgather.
      if communicator.size > 1 { communicator.abort(code: 1) }
      throw ExitCode(1)
    }
    guard let summary else { return }
    print(summary.markdown(command: command), terminator: "")
    if summary.failed > 0 {
      let runs = summary.plan.runs.count
      let messages = summary.plan.sweep.out + "/" + SweepFolder.summaryName
      FileHandle.standardError.write(
        Data(
          "error: \(summary.failed) of \(runs) runs failed; their messages are in \(messages)\n"
            .utf8))
      throw ExitCode(1)
    }
  }
}
