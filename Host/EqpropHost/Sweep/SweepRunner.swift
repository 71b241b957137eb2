import Foundation

/// A sweep on one rank of a job: this rank's share of the runs (run i on rank i mod size),
/// trained one after another, each an ordinary single-process run in its own folder; then
/// every rank's outcomes gathered on rank 0, which writes the summary. The communicator only
/// spreads the runs; no run spans ranks.
public struct SweepRunner {
  public let plan: SweepPlan
  public let communicator: any Communicator
  /// Where the saved configs of earlier tries are read back (`SweepRunFolder`).
  public let catalog: PluginCatalog
  /// Options of every run: run.json's command line; the display is always quiet.
  private let options: RunOptions
  /// Receives a line as each run starts and as it ends.
  private let announce: (String) -> Void

  public init(
    plan: SweepPlan, communicator: any Communicator, catalog: PluginCatalog,
    commandLine: [String], announce: @escaping (String) -> Void
  ) {
    self.plan = plan
    self.communicator = communicator
    self.catalog = catalog
    var options = RunOptions()
    options.display = .quiet
    options.commandLine = commandLine
    self.options = options
    self.announce = announce
  }

  /// Trains this rank's runs and gathers every rank's outcomes. Rank 0 writes OUT/sweep.yaml
  /// before training and the summary files after, naming `command` in summary.md, and
  /// returns the summary; the other ranks return nil. A run that fails is recorded and the
  /// sweep goes on.
  public func run(command: String) throws(PluginFailure) -> SweepSummary? {
    if communicator.isLeader { try plan.writeRecord() }
    let outcomes = plan.runs(ofRank: communicator.rank, size: communicator.size).map(outcome(of:))
    guard let all = try gather(outcomes) else { return nil }
    let summary = SweepSummary(plan: plan, outcomes: all)
    try summary.write(command: command)
    return summary
  }

  /// Begins, resumes or reads back `run` as its folder requires.
  private func outcome(of run: SweepPlan.Run) -> SweepOutcome {
    let label =
      "rank \(communicator.rank): run \(run.index + 1)/\(plan.runs.count) (\(plan.describe(run)))"
    let state = SweepRunFolder.state(of: run, catalog: catalog)
    let outcome: SweepOutcome
    switch state {
    case .finished(let reports):
      outcome = SweepOutcome(run: run.index, reports: reports)
      announce("\(label): finished before; \(Self.result(outcome))")
      return outcome
    case .unusable(let reason):
      outcome = SweepOutcome(run: run.index, failure: reason)
    case .empty, .partial:
      let resuming = if case .partial = state { true } else { false }
      announce("\(label): \(resuming ? "resuming" : "training") in \(run.folder)")
      do throws(PluginFailure) {
        let training =
          resuming
          ? try TrainingRun.resume(run.config, in: run.folder, options: options)
          : try TrainingRun.begin(run.config, in: run.folder, options: options)
        outcome = SweepOutcome(run: run.index, reports: try training.run())
      } catch {
        outcome = SweepOutcome(run: run.index, failure: error.message)
      }
    }
    announce("\(label): \(Self.result(outcome))")
    return outcome
  }

  /// "test error 12.30% after 2 epochs", or "failed: WHY".
  private static func result(_ outcome: SweepOutcome) -> String {
    if let failure = outcome.failure { return "failed: \(failure)" }
    let error = outcome.finalTestError.map { String(format: "%.2f%%", $0 * 100) } ?? "none"
    return "test error \(error) after \(outcome.epochs) epochs"
  }
}
