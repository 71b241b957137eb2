extension SVGPlot {
  /// Writes `svg` to `path` atomically: readers see the old file or the new one, never half.
  ///
  /// The folder must exist. A temporary file beside `path` is written, synced and renamed over
  /// it (see `AtomicFile`).
  public static func write(_ svg: String, to path: String) throws(PlotWriteError) {
    do throws(SystemCallFailure) {
      try AtomicFile.replace(path, with: [Array(svg.utf8)])
    } catch {
      throw PlotWriteError(path: path, reason: error.description)
    }
  }
}
