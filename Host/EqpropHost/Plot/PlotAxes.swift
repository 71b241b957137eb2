/// Draws a plot area's axes: the frame, light grid lines at the ticks, tick marks, tick labels
/// and the axis labels; and says how much room those take.
enum PlotAxes {
  /// Tick labels.
  static let tickFontSize = 10.0
  /// Axis labels.
  static let labelFontSize = 11.0
  /// Tick marks point out of the frame by this much.
  static let tickLength = 4.0
  private static let frameColor = "#444444"
  private static let gridColor = "#e8e8e8"

  /// The room left of the plot area for the y tick labels and, if any, the rotated y label.
  static func leftMargin(_ ticks: AxisTicks, label: String) -> Double {
    let widest = TickLabel.labels(ticks).map { SVGText.width($0, fontSize: tickFontSize) }.max()
    return (widest ?? 0) + tickLength + 4 + (label.isEmpty ? 0 : labelFontSize + 8)
  }

  /// The room under the plot area for x tick labels (when there are ticks) and the x label.
  static func bottomMargin(ticks: Bool, label: String) -> Double {
    (ticks ? tickLength + tickFontSize + 4 : 0) + (label.isEmpty ? 0 : labelFontSize + 10)
  }

  /// The room right of the plot area so the last x tick label is not cut off.
  static func rightMargin(_ ticks: AxisTicks?) -> Double {
    let last = ticks.flatMap { TickLabel.labels($0).last } ?? ""
    return Swift.max(12, SVGText.width(last, fontSize: tickFontSize) / 2 + 4)
  }

  /// The grid lines, to draw before the data.
  static func drawGrid(into svg: inout SVGBuilder, area: PlotArea, x: AxisScale?, y: AxisScale) {
    for value in y.ticks.values {
      let pixel = y.pixel(value)
      svg.line(area.x, pixel, area.right, pixel, stroke: gridColor)
    }
    for value in x?.ticks.values ?? [] {
      guard let pixel = x?.pixel(value) else { continue }
      svg.line(pixel, area.y, pixel, area.bottom, stroke: gridColor)
    }
  }

  /// The frame, ticks and labels, to draw after the data; `x` nil leaves the x axis unlabelled
  /// (a bar chart labels its groups itself).
  static func drawFrame(
    into svg: inout SVGBuilder, area: PlotArea, x: AxisScale?, y: AxisScale, xLabel: String,
    yLabel: String, left: Double
  ) {
    svg.rect(area.x, area.y, area.width, area.height, fill: "none", stroke: frameColor)
    for (value, text) in zip(y.ticks.values, TickLabel.labels(y.ticks)) {
      let pixel = y.pixel(value)
      svg.line(area.x - tickLength, pixel, area.x, pixel, stroke: frameColor)
      svg.text(
        text, area.x - tickLength - 3, pixel + tickFontSize * 0.35, size: tickFontSize,
        anchor: .end)
    }
    if let x {
      for (value, text) in zip(x.ticks.values, TickLabel.labels(x.ticks)) {
        let pixel = x.pixel(value)
        svg.line(pixel, area.bottom, pixel, area.bottom + tickLength, stroke: frameColor)
        svg.text(
          text, pixel, area.bottom + tickLength + tickFontSize + 1, size: tickFontSize,
          anchor: .middle)
      }
    }
    if !yLabel.isEmpty {
      svg.text(
        yLabel, left + labelFontSize, area.y + area.height / 2, size: labelFontSize,
        anchor: .middle, rotated: true)
    }
    if !xLabel.isEmpty {
      svg.text(
        xLabel, area.x + area.width / 2,
        area.bottom + bottomMargin(ticks: x != nil, label: xLabel) - 4, size: labelFontSize,
        anchor: .middle)
    }
  }
}
