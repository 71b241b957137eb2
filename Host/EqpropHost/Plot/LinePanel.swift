/// One panel of a line-plot grid: a title, two axis labels and the series drawn on them.
public struct LinePanel: Sendable, Equatable {
  /// Shown above the panel.
  public var title: String
  /// Shown under the x axis; empty for none.
  public var xLabel: String
  /// Shown beside the y axis, rotated; empty for none.
  public var yLabel: String
  /// The lines, drawn in order (later ones on top).
  public var series: [PlotSeries]
  /// Whether the y axis is logarithmic; values ≤ 0 are then skipped.
  public var logY: Bool

  /// A panel; the labels default to empty and the y axis to linear.
  public init(
    title: String, xLabel: String = "", yLabel: String = "", series: [PlotSeries],
    logY: Bool = false
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.logY = logY
  }
}
