/// Why a run's plots could not be drawn: each case names the file and, for a bad line, its
/// number.
public enum RunPlotError: Error, Sendable, CustomStringConvertible {
  /// The run folder has no `metrics.jsonl`.
  case missingMetrics(path: String)
  /// The file exists but could not be read as UTF-8 text.
  case unreadable(path: String, reason: String)
  /// Line `line` (counting from 1) is not a metrics record.
  case malformed(path: String, line: Int, reason: String)
  /// The `plots` folder could not be made.
  case folder(path: String, reason: String)
  /// A figure could not be written.
  case write(PlotWriteError)

  public var description: String {
    switch self {
    case .missingMetrics(let path):
      "\(path): no such file; `eqprop train` writes it into the run folder as it trains"
    case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
    case .malformed(let path, let line, let reason): "\(path) line \(line): \(reason)"
    case .folder(let path, let reason): "\(path): cannot make the plots folder: \(reason)"
    case .write(let error): error.description
    }
  }
}
