/// What one epoch measured.
public struct EpochReport: Sendable {
  public var epoch: Int
  /// Errors of the free phase before each update, over the epoch (spec §6).
  public var trainError: Double
  public var trainLoss: Double
  public var testError: Double
  public var testLoss: Double
  /// The training pass alone, evaluation excluded.
  public var seconds: Double
  public var examplesPerSecond: Double
  /// Plugin metrics averaged over the epoch's batches.
  public var metrics: [String: Double]

  /// One line for stderr.
  public var line: String {
    var text =
      "epoch \(epoch)  train_error \(percent(trainError))  test_error \(percent(testError))  "
      + "train_loss \(format(trainLoss, 5))  test_loss \(format(testLoss, 5))  "
      + "seconds \(format(seconds, 2))  examples/s \(Int(examplesPerSecond.rounded()))"
    for (name, value) in metrics.sorted(by: { $0.key < $1.key }) { text += "  \(name) \(format(value, 5))" }
    return text
  }

  private func percent(_ value: Double) -> String { format(value * 100, 2) + "%" }

  private func format(_ value: Double, _ digits: Int) -> String {
    let scale = (0..<digits).reduce(1.0) { result, _ in result * 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
  }
}
