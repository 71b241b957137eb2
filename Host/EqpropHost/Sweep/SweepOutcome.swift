/// How one run of a sweep ended, as the rank that trained it sends it to rank 0: the numbers
/// the summary needs, or why the run failed. Errors are fractions; nil where a run has no
/// finite value (JSON has no NaN).
public struct SweepOutcome: Codable, Sendable, Equatable {
  /// The run's index in the plan.
  public var run: Int
  /// Why the run failed; nil when it finished.
  public var failure: String?
  public var epochs: Int
  public var finalTestError: Double?
  public var finalTrainError: Double?
  /// The lowest test error of any epoch.
  public var bestTestError: Double?

  enum CodingKeys: String, CodingKey {
    case run, failure, epochs
    case finalTestError = "final_test_error"
    case finalTrainError = "final_train_error"
    case bestTestError = "best_test_error"
  }

  public var finished: Bool { failure == nil }

  /// A finished run, from the reports of all its epochs.
  public init(run: Int, reports: [EpochReport]) {
    self.run = run
    failure = nil
    epochs = reports.last?.epoch ?? 0
    finalTestError = Self.finite(reports.last?.testError)
    finalTrainError = Self.finite(reports.last?.trainError)
    bestTestError = reports.compactMap { Self.finite($0.testError) }.min()
  }

  public init(run: Int, failure: String) {
    self.run = run
    self.failure = failure
    epochs = 0
  }

  private static func finite(_ value: Double?) -> Double? {
    value.flatMap { $0.isFinite ? $0 : nil }
  }
}
