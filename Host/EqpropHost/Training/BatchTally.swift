/// Sums over a span of training batches (an epoch so far, or a logging window): what its
/// line reports once the span ends. Codable: a checkpoint taken mid-span carries it, so the
/// resumed run reports the same line.
public struct BatchTally: Codable, Sendable, Equatable {
  public var batches = 0
  public var examples = 0
  /// Misclassified examples of the free phase, before each update.
  public var errors: Int64 = 0
  public var lossSum = 0.0
  /// Wall-clock seconds of the batches (evaluation excluded).
  public var seconds = 0.0
  public var metrics = MetricSums()

  public init() {}

  mutating func add(_ report: BatchReport, examples: Int, seconds: Double) {
    batches += 1
    self.examples += examples
    errors += report.errors
    lossSum += report.lossSum
    self.seconds += seconds
    metrics.merge(report.metrics)
  }

  public var errorRate: Double { Double(errors) / Double(max(examples, 1)) }
  public var meanLoss: Double { lossSum / Double(max(examples, 1)) }
  public var examplesPerSecond: Double { Double(examples) / max(seconds, 1e-9) }

  private enum CodingKeys: String, CodingKey {
    case batches, examples, errors, seconds, metrics
    case lossSum = "loss_sum"
  }
}
