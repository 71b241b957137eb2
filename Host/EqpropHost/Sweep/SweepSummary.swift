/// A sweep's result per setting: which runs finished and which failed, and over the finished
/// ones (one per seed) the mean ± sample standard deviation of the final test error, the
/// final train error and the best test error of any epoch.
public struct SweepSummary: Sendable {
  /// One setting of the grid and its runs.
  public struct Row: Sendable {
    public var setting: SweepPlan.Setting
    /// The setting's runs in seed order, each with how it ended.
    public var runs: [(run: SweepPlan.Run, outcome: SweepOutcome)]
    public var testError: SampleStatistics
    public var trainError: SampleStatistics
    public var bestTestError: SampleStatistics

    public var finished: Int { runs.filter { $0.outcome.finished }.count }
    public var failed: Int { runs.count - finished }
  }

  public let plan: SweepPlan
  public let rows: [Row]

  /// Failed runs of the whole sweep.
  public var failed: Int { rows.map(\.failed).reduce(0, +) }

  /// Groups `outcomes` (one per run of `plan`) by setting; a run without one counts as failed.
  public init(plan: SweepPlan, outcomes: [SweepOutcome]) {
    self.plan = plan
    rows = plan.settings.map { setting in
      let runs = plan.runs.filter { $0.setting == setting.index }.map { run in
        (
          run,
          outcomes.first { $0.run == run.index }
            ?? SweepOutcome(run: run.index, failure: "no rank reported this run")
        )
      }
      let finished = runs.map(\.1).filter(\.finished)
      return Row(
        setting: setting, runs: runs,
        testError: SampleStatistics(finished.compactMap(\.finalTestError)),
        trainError: SampleStatistics(finished.compactMap(\.finalTrainError)),
        bestTestError: SampleStatistics(finished.compactMap(\.bestTestError)))
    }
  }
}
