extension SVGPlot {
  /// The width of one bar.
  private static let barWidth = 20.0
  /// The space between bars of one group.
  private static let barGap = 3.0
  /// The space each side of a group.
  private static let groupPadding = 14.0
  /// The plot area's height.
  private static let barPlotHeight = 240.0
  /// The plot area's smallest width.
  private static let barPlotMinimumWidth = 240.0

  /// A grouped bar chart: one colour per bar name (in order of first appearance), a legend of
  /// the names above the plot, and each group's label under it.
  ///
  /// Bars that cannot be drawn (NaN, infinite, or ≤ 0 on a log axis) keep their slot empty and
  /// are listed in the `<desc>`. On a log axis, bars rise from the bottom of the axis and error
  /// bars that reach below zero stop there.
  public static func bars(_ chart: BarChart) -> String {
    let names = chart.groups.flatMap { $0.bars.map(\.name) }.reduce(into: [String]()) {
      if !$0.contains($1) { $0.append($1) }
    }
    let drawable = { (bar: BarChart.Bar) in bar.value.isFinite && (!chart.logY || bar.value > 0) }
    let ticks = barTicks(chart, drawable: drawable)
    let padding = PanelDrawing.padding
    let left = padding
    let groupWidths = chart.groups.map { group in
      let bars = Double(group.bars.count) * (barWidth + barGap) - barGap
      let label = SVGText.width(group.label, fontSize: PlotAxes.labelFontSize) + 8
      return Swift.max(bars, label) + 2 * groupPadding
    }
    let natural = groupWidths.reduce(0, +)
    let stretch =
      natural < barPlotMinimumWidth && !groupWidths.isEmpty
      ? (barPlotMinimumWidth - natural) / Double(groupWidths.count) : 0
    let plotWidth = Swift.max(natural, barPlotMinimumWidth)
    let plotX = left + PlotAxes.leftMargin(ticks, label: chart.yLabel)
    let width = Swift.max(
      plotX + plotWidth + 16 + padding,
      SVGText.width(chart.title, fontSize: titleFontSize) + 2 * padding)
    let legend = PlotLegend(
      names.enumerated().map {
        PlotLegend.Item(name: $1, color: PlotPalette.color($0), mark: .swatch)
      }, width: width - 2 * padding)
    let top = (chart.title.isEmpty ? padding : titleHeight) + legend.height
    let area = PlotArea(x: plotX, y: top + 12, width: plotWidth, height: barPlotHeight)
    let yScale = area.yScale(ticks)

    var svg = SVGBuilder()
    if !chart.title.isEmpty {
      svg.text(chart.title, width / 2, 24, size: titleFontSize, anchor: .middle, bold: true)
    }
    legend.draw(into: &svg, x: padding, y: top - legend.height)
    PlotAxes.drawGrid(into: &svg, area: area, x: nil, y: yScale)
    let base = ticks.isLog ? area.bottom : yScale.pixel(0)
    if !ticks.isLog, ticks.lower < 0 {
      svg.line(area.x, base, area.right, base, stroke: "#444444")
    }
    var notes: [String] = []
    var groupX = area.x
    for (group, groupWidth) in zip(chart.groups, groupWidths) {
      let slotWidth = groupWidth + stretch
      let barsWidth = Double(group.bars.count) * (barWidth + barGap) - barGap
      var barX = groupX + (slotWidth - barsWidth) / 2
      for bar in group.bars {
        defer { barX += barWidth + barGap }
        guard drawable(bar) else {
          notes.append(
            "group '\(group.label)', bar '\(bar.name)': skipped the value \(bar.value)"
              + (chart.logY
                ? " (NaN, infinite or not positive on a log axis)." : " (NaN or infinite)."))
          continue
        }
        let top = yScale.pixel(bar.value)
        let color = PlotPalette.color(names.firstIndex(of: bar.name) ?? 0)
        svg.rect(
          barX, Swift.min(top, base), barWidth, abs(base - top), fill: color, className: "bar")
        if let error = bar.error, error.isFinite {
          drawErrorBar(
            into: &svg, center: barX + barWidth / 2, bar: bar.value, error: abs(error),
            scale: yScale)
        }
      }
      svg.text(
        group.label, groupX + slotWidth / 2, area.bottom + PlotAxes.labelFontSize + 6,
        size: PlotAxes.labelFontSize, anchor: .middle)
      groupX += slotWidth
    }
    if chart.groups.allSatisfy({ $0.bars.allSatisfy { !drawable($0) } }) {
      svg.text(
        "no data", area.x + area.width / 2, area.y + area.height / 2, size: 12, anchor: .middle,
        fill: "#888888")
    }
    PlotAxes.drawFrame(
      into: &svg, area: area, x: nil, y: yScale, xLabel: "", yLabel: chart.yLabel, left: left)
    return svg.document(
      width: width, height: area.bottom + PlotAxes.labelFontSize + 16 + padding,
      title: chart.title, notes: notes)
  }

  /// Ticks covering every drawable bar and error bar end, and zero on a linear axis.
  private static func barTicks(
    _ chart: BarChart, drawable: (BarChart.Bar) -> Bool
  ) -> AxisTicks {
    var values: [Double] = chart.logY ? [] : [0]
    for bar in chart.groups.flatMap(\.bars) where drawable(bar) {
      values.append(bar.value)
      if let error = bar.error, error.isFinite {
        values += [bar.value - abs(error), bar.value + abs(error)]
      }
    }
    if chart.logY {
      let positive = values.filter { $0 > 0 }
      return NiceTicks.log(positive.min() ?? 1, positive.max() ?? 10)
    }
    return NiceTicks.linear(values.min() ?? 0, values.max() ?? 1)
  }

  /// A vertical error bar with caps from `bar - error` to `bar + error`, cut at the bottom of a
  /// log axis.
  private static func drawErrorBar(
    into svg: inout SVGBuilder, center: Double, bar: Double, error: Double, scale: AxisScale
  ) {
    let low = bar - error > 0 || !scale.ticks.isLog ? scale.pixel(bar - error) : scale.start
    let high = scale.pixel(bar + error)
    let cap = 4.0
    svg.line(center, low, center, high, stroke: "#222222", width: 1.2, className: "error")
    svg.line(center - cap, high, center + cap, high, stroke: "#222222", width: 1.2)
    if bar - error > 0 || !scale.ticks.isLog {
      svg.line(center - cap, low, center + cap, low, stroke: "#222222", width: 1.2)
    }
  }
}
