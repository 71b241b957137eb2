import Foundation

extension SweepSummary {
  /// `summary.md`: a table with a column per grid key, then n (the finished runs) and each
  /// error as mean ± std in %, and a line under it saying what the numbers are and the
  /// `command` that made them.
  public func markdown(command: String) -> String {
    let keys = plan.sweep.grid.map { Self.cell($0.path.description) }
    let header = keys + ["n", "test error %", "train error %", "best test error %"]
    let rule = keys.map { _ in "---" } + Array(repeating: "--:", count: 4)
    let lines = [header, rule] + rows.map(\.cells)
    let table = lines.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
    let seeds = plan.sweep.seeds.map(String.init).joined(separator: ", ")
    return table + "\n\n"
      + "Final test and train error, and the lowest test error of any epoch, in %: mean ± "
      + "sample standard deviation (n − 1) over the finished runs of seeds \(seeds). Made by "
      + "`\(command)`.\n"
  }

  /// `text` safe inside a table cell.
  static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|")
  }
}

extension SweepSummary.Row {
  var cells: [String] {
    let n = failed == 0 ? "\(finished)" : "\(finished) (\(failed) failed)"
    return setting.values.map { SweepSummary.cell($0.value.flowText) }
      + [n, Self.percent(testError), Self.percent(trainError), Self.percent(bestTestError)]
  }

  /// "2.31 ± 0.08"; the mean alone for one run, "–" for none.
  private static func percent(_ statistics: SampleStatistics) -> String {
    guard let mean = statistics.mean else { return "–" }
    let text = String(format: "%.2f", mean * 100)
    return statistics.standardDeviation.map { text + String(format: " ± %.2f", $0 * 100) } ?? text
  }
}
