/// One ``LinePanel`` made ready to draw: its series reduced to drawable points, its axes' ticks,
/// its legend items and the notes for the document's `<desc>`.
struct PanelDrawing {
  /// Panel titles.
  static let titleFontSize = 13.0
  /// From the top of a cell to the top of its plot area: room for the title.
  static let top = 30.0
  /// Space around a cell's content.
  static let padding = 10.0

  let panel: LinePanel
  let points: [SeriesPoints]
  let xTicks: AxisTicks
  let yTicks: AxisTicks

  /// Reduces `panel`'s series and picks ticks for the points that will be drawn.
  init(_ panel: LinePanel) {
    self.panel = panel
    points = panel.series.map { SeriesPoints($0, logY: panel.logY) }
    let all = points.flatMap(\.points)
    let xs = all.map(\.x)
    let ys = all.map(\.y)
    let xLow = xs.min() ?? 0
    xTicks = NiceTicks.linear(
      panel.xFromZero ? Swift.min(0, xLow) : xLow, xs.max() ?? (all.isEmpty ? 1 : 0))
    yTicks =
      panel.logY
      ? NiceTicks.log(ys.min() ?? 1, ys.max() ?? 10)
      : NiceTicks.linear(ys.min() ?? 0, ys.max() ?? (all.isEmpty ? 1 : 0))
  }

  /// The legend entries: one per named series.
  var legendItems: [PlotLegend.Item] {
    panel.series.map {
      PlotLegend.Item(
        name: $0.name, color: PlotPalette.color($0.color),
        mark: .line(dashed: $0.style == .dashed, weight: $0.weight, dot: $0.marksPoints))
    }
  }

  /// The width the panel's cell needs for its title and x label.
  var neededWidth: Double {
    let title = SVGText.width(panel.title, fontSize: PanelDrawing.titleFontSize)
    let xLabel = SVGText.width(panel.xLabel, fontSize: PlotAxes.labelFontSize)
    return Swift.max(
      title + 2 * PanelDrawing.padding,
      xLabel + PlotAxes.leftMargin(yTicks, label: panel.yLabel) + 3 * PanelDrawing.padding)
  }

  /// The plot height the panel needs for its rotated y label.
  var neededPlotHeight: Double {
    SVGText.width(panel.yLabel, fontSize: PlotAxes.labelFontSize) + 10
  }

  /// The height under the plot area for the x axis.
  var bottomMargin: Double {
    PlotAxes.bottomMargin(ticks: true, label: panel.xLabel)
  }

  /// What was skipped, ignored or downsampled, one sentence each; `index` numbers the panel.
  func notes(index: Int) -> [String] {
    var notes: [String] = []
    for (series, kept) in zip(panel.series, points) {
      let name = "panel \(index + 1) '\(panel.title)', series '\(series.name)'"
      if kept.skipped > 0 {
        let reason = panel.logY ? "NaN, infinite or not positive on a log axis" : "NaN or infinite"
        notes.append("\(name): skipped \(pointCount(kept.skipped)) (\(reason)).")
      }
      if kept.unpaired > 0 {
        notes.append(
          "\(name): ignored \(kept.unpaired) unpaired values (x and values differ in length).")
      }
      let drawn = kept.runs.reduce(0) { $0 + $1.count }
      if drawn < kept.valid {
        notes.append(
          "\(name): downsampled \(pointCount(kept.valid)) to \(drawn)"
            + " (the lowest and highest of each bucket).")
      }
    }
    return notes
  }

  /// "1 point", "3 points".
  private func pointCount(_ count: Int) -> String {
    count == 1 ? "1 point" : "\(count) points"
  }

  /// Draws the panel into the cell at (x, y), `width` wide, with a plot `plotHeight` high and
  /// `legend` under the x axis.
  func draw(
    into svg: inout SVGBuilder, x: Double, y: Double, width: Double, plotHeight: Double,
    legend: PlotLegend
  ) {
    let left = x + PanelDrawing.padding
    let plotX = left + PlotAxes.leftMargin(yTicks, label: panel.yLabel)
    let area = PlotArea(
      x: plotX, y: y + PanelDrawing.top,
      width: x + width - PanelDrawing.padding - PlotAxes.rightMargin(xTicks) - plotX,
      height: plotHeight)
    svg.text(
      panel.title, x + width / 2, y + 18, size: PanelDrawing.titleFontSize, anchor: .middle,
      bold: true)
    let xScale = area.xScale(xTicks)
    let yScale = area.yScale(yTicks)
    PlotAxes.drawGrid(into: &svg, area: area, x: xScale, y: yScale)
    for (series, kept) in zip(panel.series, points) where !kept.runs.isEmpty {
      let color = PlotPalette.color(series.color)
      svg.path(
        PanelDrawing.pathData(kept.runs, x: xScale, y: yScale), stroke: color,
        width: series.weight.lineWidth, dashed: series.style == .dashed,
        opacity: series.weight.opacity, className: "series", title: series.name)
      // Dots less than two diameters apart merge into a thick line: only sparser series get them.
      let markable = Int(area.width / (4 * PlotSeries.markRadius))
      guard series.marksPoints, kept.points.count <= markable else { continue }
      for point in kept.points {
        svg.circle(
          xScale.pixel(point.x), yScale.pixel(point.y), radius: PlotSeries.markRadius, fill: color,
          className: "mark")
      }
    }
    if points.allSatisfy(\.runs.isEmpty) {
      svg.text(
        "no data", area.x + area.width / 2, area.y + area.height / 2, size: 12, anchor: .middle,
        fill: "#888888")
    }
    PlotAxes.drawFrame(
      into: &svg, area: area, x: xScale, y: yScale, xLabel: panel.xLabel, yLabel: panel.yLabel,
      left: left)
    legend.draw(into: &svg, x: left, y: area.bottom + bottomMargin + 6)
  }

  /// SVG path data for `runs`: one subpath per run; a lone point becomes a small ring that the
  /// stroke fills into a dot.
  static func pathData(_ runs: [[SeriesPoints.Point]], x: AxisScale, y: AxisScale) -> String {
    var parts: [String] = []
    for run in runs {
      if run.count == 1, let point = run.first {
        let left = SVGText.number(x.pixel(point.x) - dotRadius)
        let middle = SVGText.number(y.pixel(point.y))
        let diameter = SVGText.number(2 * dotRadius)
        parts.append(
          "M\(left),\(middle) a\(dotRadius),\(dotRadius) 0 1,0 \(diameter),0"
            + " a\(dotRadius),\(dotRadius) 0 1,0 -\(diameter),0")
        continue
      }
      for (offset, point) in run.enumerated() {
        let pair = SVGText.number(x.pixel(point.x)) + "," + SVGText.number(y.pixel(point.y))
        parts.append((offset == 0 ? "M" : offset == 1 ? "L" : "") + pair)
      }
    }
    return parts.joined(separator: " ")
  }

  /// The radius of the ring drawn for a lone point.
  private static let dotRadius = 1.5
}
