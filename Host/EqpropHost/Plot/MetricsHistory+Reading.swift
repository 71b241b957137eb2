import Foundation

extension MetricsHistory {
  /// Reads `metrics.jsonl` at `path`; lines of unknown kinds and blank lines are skipped.
  ///
  /// A last line that has no newline yet and does not parse is a line being written while
  /// training runs, so it is skipped too; any other bad line is refused with its number.
  static func read(file path: String) throws(RunPlotError) -> MetricsHistory {
    guard FileManager.default.fileExists(atPath: path) else {
      throw .missingMetrics(path: path)
    }
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw .unreadable(path: path, reason: error.localizedDescription)
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var records: [MetricsRecord] = []
    for (index, line) in lines.enumerated()
    where !line.allSatisfy({ $0.isWhitespace }) {
      switch MetricsRecord.parse(line) {
      case .success(let record):
        if let record { records.append(record) }
      case .failure(let problem):
        // The last piece has no newline after it: a line still being written.
        if index == lines.count - 1 { continue }
        throw .malformed(path: path, line: index + 1, reason: problem.sentence)
      }
    }
    return MetricsHistory(records)
  }
}
