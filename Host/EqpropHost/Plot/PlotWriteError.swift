/// A plot that could not be written: the file, and the system call that failed.
public struct PlotWriteError: Error, Sendable, CustomStringConvertible {
  /// The file that was to be written.
  public var path: String
  /// What failed, as `rename failed: Permission denied`.
  public var reason: String

  public var description: String { "\(path): cannot write the plot: \(reason)" }
}
