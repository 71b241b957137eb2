/// A run's metrics, as the plots use them: the epoch lines and the batches lines, each in order
/// of progress.
struct MetricsHistory {
  /// One value per line that has it, against progress in epochs.
  struct Curve: Equatable {
    var x: [Double]
    var values: [Double]
  }

  /// The epoch lines.
  let epochs: [MetricsRecord]
  /// The batches lines (the running values between epoch lines).
  let windows: [MetricsRecord]

  /// Splits `records` by kind, in file order.
  ///
  /// A run resumed from a checkpoint appends lines that repeat progress already logged: a line
  /// replaces every earlier line of its kind at or after its progress, so each curve moves
  /// forward and shows the run that led to the final weights.
  init(_ records: [MetricsRecord]) {
    epochs = MetricsHistory.latest(records.filter { $0.kind == .epoch })
    windows = MetricsHistory.latest(records.filter { $0.kind == .batches })
  }

  /// The names of the plugins' and hooks' metrics on any line, sorted.
  var metricNames: [String] {
    Set((epochs + windows).flatMap(\.metrics.keys)).sorted()
  }

  /// The metric `name` from the batches lines that have it, which show more detail; from the
  /// epoch lines when no batches line has it.
  func detailedCurve(metric name: String) -> Curve {
    let running = MetricsHistory.curve(metric: name, in: windows)
    return running.x.isEmpty ? MetricsHistory.curve(metric: name, in: epochs) : running
  }

  /// The metric `name` from those of `lines` that have it.
  static func curve(metric name: String, in lines: [MetricsRecord]) -> Curve {
    let having = lines.filter { $0.metrics[name] != nil }
    return Curve(x: having.map(\.progress), values: having.map { $0.metrics[name] ?? .nan })
  }

  /// `records` with each line replacing the earlier ones it repeats.
  private static func latest(_ records: [MetricsRecord]) -> [MetricsRecord] {
    var kept: [MetricsRecord] = []
    for record in records {
      while let last = kept.last, last.progress >= record.progress { kept.removeLast() }
      kept.append(record)
    }
    return kept
  }
}
