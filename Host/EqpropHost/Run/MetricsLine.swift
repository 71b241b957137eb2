import Foundation

/// The lines of metrics.jsonl, a contract `eqprop plot` and users' scripts read:
///
///     {"kind":"epoch","epoch":E,"progress":E,"train_error":f,"test_error":f,"train_loss":f,
///      "test_loss":f,"seconds":f,"examples_per_second":f,"metrics":{...}}
///     {"kind":"batches","epoch":E,"batch":B,"batches":N,"progress":P,"train_error":f,
///      "train_loss":f,"examples_per_second":f,"metrics":{...}}
///     {"kind":"stopped","reason":"diverged","epoch":E,"batch":B,"message":"..."}
///
/// Errors are fractions; B is the window's last batch within epoch E (from 1), N the
/// window's size, P = (E − 1) + B / batches per epoch. `metrics` holds the plugins' and
/// hooks' metrics and the host's (`free_steps`, `saturation`, `update/NAME`), averaged over
/// the span; a value that is not finite is written as null. A `stopped` line ends the file of
/// a run that diverged: B is the training batch, or `test_batch` the test batch of epoch E's
/// evaluation; a resumed run cuts it off with the lines after its checkpoint.
enum MetricsLine {
  static func epoch(_ report: EpochReport) -> String {
    JSONText.object([
      ("kind", JSONText.quote("epoch")), ("epoch", "\(report.epoch)"),
      ("progress", "\(report.epoch)"),
      ("train_error", JSONText.number(report.trainError)),
      ("test_error", JSONText.number(report.testError)),
      ("train_loss", JSONText.number(report.trainLoss)),
      ("test_loss", JSONText.number(report.testLoss)),
      ("seconds", JSONText.number(report.seconds)),
      ("examples_per_second", JSONText.number(report.examplesPerSecond)),
      ("metrics", metrics(report.metrics)),
    ])
  }

  static func window(_ window: WindowReport) -> String {
    JSONText.object([
      ("kind", JSONText.quote("batches")), ("epoch", "\(window.epoch)"),
      ("batch", "\(window.batch)"),
      ("batches", "\(window.tally.batches)"), ("progress", JSONText.number(window.progress)),
      ("train_error", JSONText.number(window.tally.errorRate)),
      ("train_loss", JSONText.number(window.tally.meanLoss)),
      ("examples_per_second", JSONText.number(window.tally.examplesPerSecond)),
      ("metrics", metrics(window.tally.metrics.averages)),
    ])
  }

  static func stopped(_ divergence: Divergence) -> String {
    var members = [("kind", JSONText.quote("stopped")), ("reason", JSONText.quote("diverged"))]
    switch divergence.stage {
    case .training(let epoch, let batch)?:
      members += [("epoch", "\(epoch)"), ("batch", "\(batch)")]
    case .evaluation(let epoch, let batch)?:
      members += [("epoch", "\(epoch)"), ("test_batch", "\(batch)")]
    case nil: break
    }
    return JSONText.object(members + [("message", JSONText.quote(divergence.description))])
  }

  /// The report an epoch line holds; nil for a line of another kind or one that does not
  /// parse (a resumed run rebuilds its earlier epochs from these).
  static func epochReport(_ line: Substring) -> EpochReport? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      object["kind"] as? String == "epoch", let epoch = object["epoch"] as? Int
    else { return nil }
    func number(_ key: String) -> Double { (object[key] as? Double) ?? .nan }
    let metrics = (object["metrics"] as? [String: Any] ?? [:]).mapValues { ($0 as? Double) ?? .nan }
    return EpochReport(
      epoch: epoch, trainError: number("train_error"), trainLoss: number("train_loss"),
      testError: number("test_error"), testLoss: number("test_loss"), seconds: number("seconds"),
      examplesPerSecond: number("examples_per_second"), metrics: metrics)
  }

  /// The message of a `stopped` line; nil for a line of another kind.
  static func stoppedMessage(_ line: Substring) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      object["kind"] as? String == "stopped"
    else { return nil }
    return object["message"] as? String ?? "no message"
  }

  private static func metrics(_ values: [String: Double]) -> String {
    JSONText.object(values.sorted { $0.key < $1.key }.map { ($0.key, JSONText.number($0.value)) })
  }
}
