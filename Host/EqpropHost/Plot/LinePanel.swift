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
  /// Whether the x axis reaches back to 0 whatever the data: training starts at epoch 0, and
  /// a run of one epoch should not get an axis from 0.9 to 1.1.
  public var xFromZero: Bool

  /// A panel; the labels default to empty, the y axis to linear and the x axis to the data.
  public init(
    title: String, xLabel: String = "", yLabel: String = "", series: [PlotSeries],
    logY: Bool = false, xFromZero: Bool = false
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.logY = logY
    self.xFromZero = xFromZero
  }
}
