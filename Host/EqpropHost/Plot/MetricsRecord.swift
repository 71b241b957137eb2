/// One line of a run's `metrics.jsonl`: the values measured at one point of training.
///
/// The file has two kinds of lines. An `epoch` line closes an epoch and holds its train and test
/// values; a `batches` line is written every few batches and holds the running train values of
/// those batches. Values a line lacks (or writes as `null`) are NaN, which a plot skips.
struct MetricsRecord: Equatable {
  /// Which kind of line it came from.
  enum Kind: String {
    case epoch
    case batches
  }

  var kind: Kind
  /// Epochs of training done when the line was written: whole for epoch lines, fractional for
  /// batches lines. Every curve is drawn against it.
  var progress: Double
  /// Fractions (0.0123 is 1.23 %).
  var trainError: Double
  var testError: Double
  var trainLoss: Double
  var testLoss: Double
  /// The plugins' and hooks' metrics by name, as `update/W01` or `free_residual`.
  var metrics: [String: Double]
}
