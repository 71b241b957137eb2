/// One line of a ``LinePanel``: values over time steps (or over `x`), stroked solid or dashed.
///
/// Points whose value (or `x`) is NaN or infinite, or not positive on a log axis, are skipped
/// and break the line; the SVG's `<desc>` says how many were skipped.
public struct PlotSeries: Sendable, Equatable {
  /// How the line is stroked: Ernoult et al. draw BPTT solid and EP dashed.
  public enum Style: Sendable, Equatable {
    case solid
    case dashed
  }

  /// The legend entry; an empty name keeps the series out of the legend.
  public var name: String
  /// The y values, one per point.
  public var values: [Double]
  /// The x value of each point; nil means 0, 1, 2, … Extra values on either side are ignored.
  public var x: [Double]?
  /// Solid or dashed.
  public var style: Style
  /// An index into ``PlotPalette``; it wraps around, so any integer is valid.
  public var color: Int

  /// A series over `x` (or over 0, 1, 2, … when `x` is nil).
  public init(
    name: String, values: [Double], x: [Double]? = nil, style: Style = .solid, color: Int = 0
  ) {
    self.name = name
    self.values = values
    self.x = x
    self.style = style
    self.color = color
  }
}
