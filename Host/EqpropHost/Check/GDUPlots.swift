/// The figures of a check, in the style of Ernoult et al. 2019: per-step series of a few
/// elements per layer and matrix (reference solid, EP dashed; Fig. 2) and the relative error
/// per layer and matrix (Fig. 3).
public enum GDUPlots {
  /// Writes `<prefix>-series.svg` and `<prefix>-relmse.svg` into `folder` (which must exist);
  /// returns the two paths.
  public static func write(_ result: GDUResult, to folder: String, prefix: String) throws(PlotWriteError)
    -> [String]
  {
    let against = result.mode == "gdu" ? "BPTT" : "RBP"
    let panels = (result.neurons.map { ($0, "neurons") } + result.weights.map { ($0, "weights, per step") }).map {
      entry, what in
      LinePanel(
        title: "\(entry.name) (\(what))", xLabel: "t", yLabel: what == "neurons" ? "∂L/∂s" : "∂L/∂θ",
        series: entry.samples.enumerated().flatMap { color, sample in
          [
            PlotSeries(name: "\(against) #\(sample.element)", values: sample.reference, style: .solid, color: color),
            PlotSeries(name: "EP #\(sample.element)", values: sample.ep, style: .dashed, color: color),
          ]
        })
    }
    let title =
      "\(against) (solid) vs EP (dashed): β = \(GDUReport.format(result.beta)), K = \(result.nudgedSteps)"
    let series = SVGPlot.grid(panels, columns: min(panels.count, 3), title: title)
    let chart = BarChart(
      title: "RelMSE, EP vs \(against) (β = \(GDUReport.format(result.beta)))", yLabel: "relative error",
      groups: (result.neurons + result.weights).map { entry in
        BarChart.Group(
          label: entry.name,
          bars: [BarChart.Bar(name: "RelMSE", value: entry.relativeError, error: entry.relativeErrorStd)])
      }, logY: true)
    let paths = [folder + "/" + prefix + "-series.svg", folder + "/" + prefix + "-relmse.svg"]
    try SVGPlot.write(series, to: paths[0])
    try SVGPlot.write(SVGPlot.bars(chart), to: paths[1])
    return paths
  }
}
