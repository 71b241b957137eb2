import Foundation

/// Draws a training run's curves from its `metrics.jsonl`: what `eqprop plot RUN` does.
public enum RunPlot {
  /// The file in a run folder the curves come from.
  public static let metricsName = "metrics.jsonl"
  /// The folder inside a run folder the figures go to.
  public static let folderName = "plots"

  /// Writes the run's figures as SVG into `FOLDER/plots/` and returns their paths.
  ///
  /// `error.svg` and `loss.svg` show train and test values per epoch (and the running train
  /// values between epochs); `updates.svg` each parameter tensor's relative update size
  /// (`update/…` metrics, log axis); `metrics.svg` one panel per other metric. A figure whose
  /// data the metrics lack is skipped with a notice on the log. Existing files are replaced.
  public static func write(run folder: String) throws(RunPlotError) -> [String] {
    let history = try MetricsHistory.read(file: folder + "/" + metricsName)
    let run = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
    let figures: [(file: String, svg: String?, absent: String)] = [
      ("error.svg", RunFigures.error(history, run: run), "no train or test error"),
      ("loss.svg", RunFigures.loss(history, run: run), "no train or test loss"),
      (
        "updates.svg", RunFigures.updates(history, run: run),
        "no \(RunFigures.updatePrefix)… metrics"
      ),
      ("metrics.svg", RunFigures.metrics(history, run: run), "no other metrics"),
    ]
    for figure in figures where figure.svg == nil {
      HostLog.notice("plot: skipped \(figure.file): \(metricsName) has \(figure.absent)")
    }
    let drawn = figures.compactMap { figure in figure.svg.map { (figure.file, $0) } }
    guard !drawn.isEmpty else { return [] }
    let plots = folder + "/" + folderName
    do {
      try FileManager.default.createDirectory(atPath: plots, withIntermediateDirectories: true)
    } catch {
      throw .folder(path: plots, reason: error.localizedDescription)
    }
    var paths: [String] = []
    for (file, svg) in drawn {
      let path = plots + "/" + file
      do throws(PlotWriteError) {
        try SVGPlot.write(svg, to: path)
      } catch {
        throw .write(error)
      }
      paths.append(path)
    }
    return paths
  }
}
