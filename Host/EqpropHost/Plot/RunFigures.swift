/// The figures of a training run, drawn from its metrics; each is nil when the metrics lack what
/// it shows.
enum RunFigures {
  /// The prefix of the metrics that hold each parameter tensor's relative update size.
  static let updatePrefix = "update/"

  /// Train and test error in percent against epochs, the running train error light beneath.
  static func error(_ history: MetricsHistory, run: String) -> String? {
    trainAndTest(
      history, run: run, title: "Error", yLabel: "error (%)", train: { $0.trainError * 100 },
      test: { $0.testError * 100 })
  }

  /// Train and test loss against epochs, the running train loss light beneath.
  static func loss(_ history: MetricsHistory, run: String) -> String? {
    trainAndTest(
      history, run: run, title: "Loss", yLabel: "loss", train: \.trainLoss, test: \.testLoss)
  }

  /// Each parameter tensor's relative update size on a log axis, one line per tensor.
  static func updates(_ history: MetricsHistory, run: String) -> String? {
    let names = history.metricNames.filter { $0.hasPrefix(updatePrefix) }
    guard !names.isEmpty else { return nil }
    let series = names.enumerated().map { index, name in
      let curve = history.detailedCurve(metric: name)
      // Past the palette's colours, dashes keep tensors that share a colour apart.
      let style: PlotSeries.Style = (index / PlotPalette.colors.count) % 2 == 0 ? .solid : .dashed
      return PlotSeries(
        name: String(name.dropFirst(updatePrefix.count)), values: curve.values, x: curve.x,
        style: style, color: index)
    }
    let panel = LinePanel(
      title: "Update size per parameter tensor", xLabel: "epoch", yLabel: "relative update",
      series: series, logY: true, xFromZero: true)
    return alone(panel, run: run)
  }

  /// One small panel per other metric (residuals, steps, saturation, hooks' values): the
  /// batches lines' values light, the epoch lines' means marked over them.
  static func metrics(_ history: MetricsHistory, run: String) -> String? {
    let names = history.metricNames.filter { !$0.hasPrefix(updatePrefix) }
    guard !names.isEmpty else { return nil }
    let panels = names.map { name in
      let running = MetricsHistory.curve(metric: name, in: history.windows)
      let epochs = MetricsHistory.curve(metric: name, in: history.epochs)
      // A lone curve needs neither a legend nor to step back.
      let both = !running.values.isEmpty && !epochs.values.isEmpty
      let series = [
        PlotSeries(
          name: both ? "running" : "", values: running.values, x: running.x,
          weight: both ? .light : .regular),
        PlotSeries(
          name: both ? "epoch" : "", values: epochs.values, x: epochs.x, marksPoints: true),
      ].filter { !$0.values.isEmpty }
      return LinePanel(
        title: name, xLabel: "epoch", series: series,
        logY: spansDecades(running.values + epochs.values), xFromZero: true)
    }
    return SVGPlot.grid(panels, columns: 3, title: run)
  }

  /// A train and a test curve of one quantity: epoch lines marked, batches lines light.
  private static func trainAndTest(
    _ history: MetricsHistory, run: String, title: String, yLabel: String,
    train: (MetricsRecord) -> Double, test: (MetricsRecord) -> Double
  ) -> String? {
    let epochs = history.epochs.map(\.progress)
    // Light only under the epoch curves; before the first epoch line it is all there is.
    let series = [
      PlotSeries(
        name: "train, running", values: history.windows.map(train),
        x: history.windows.map(\.progress), color: 0,
        weight: history.epochs.isEmpty ? .regular : .light),
      PlotSeries(
        name: "train", values: history.epochs.map(train), x: epochs, color: 0, marksPoints: true),
      PlotSeries(
        name: "test", values: history.epochs.map(test), x: epochs, color: 1, marksPoints: true),
    ].filter { $0.values.contains(where: \.isFinite) }
    guard !series.isEmpty else { return nil }
    let panel = LinePanel(
      title: title, xLabel: "epoch", yLabel: yLabel, series: series, xFromZero: true)
    return alone(panel, run: run)
  }

  /// A figure of one panel, larger than a grid's cells: it has the page to itself, and ten
  /// tensors' update lines need the room.
  private static func alone(_ panel: LinePanel, run: String) -> String {
    SVGPlot.grid([panel], columns: 1, title: run, minimumCellWidth: 640, minimumPlotHeight: 320)
  }

  /// Whether `values` are all positive and span more than two decades: a residual falling by
  /// orders of magnitude reads on a log axis, and flattens into the axis on a linear one.
  private static func spansDecades(_ values: [Double]) -> Bool {
    let finite = values.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max(), low > 0 else { return false }
    return high / low > 100
  }
}
