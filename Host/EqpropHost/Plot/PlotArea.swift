/// The rectangle, in pixels, inside a panel's axes where data is drawn.
struct PlotArea {
  /// The left edge.
  var x: Double
  /// The top edge.
  var y: Double
  /// Left to right.
  var width: Double
  /// Top to bottom.
  var height: Double

  /// The bottom edge.
  var bottom: Double { y + height }
  /// The right edge.
  var right: Double { x + width }

  /// The x axis scale for `ticks` across this area.
  func xScale(_ ticks: AxisTicks) -> AxisScale {
    AxisScale(ticks: ticks, start: x, end: right)
  }

  /// The y axis scale for `ticks` up this area.
  func yScale(_ ticks: AxisTicks) -> AxisScale {
    AxisScale(ticks: ticks, start: bottom, end: y)
  }
}
