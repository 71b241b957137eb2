/// One line of a ``LinePanel``: values over time steps (or over `x`), stroked solid or dashed,
/// regular or light, with or without a dot on each point.
///
/// Points whose value (or `x`) is NaN or infinite, or not positive on a log axis, are skipped
/// and break the line; the SVG's `<desc>` says how many were skipped.
public struct PlotSeries: Sendable, Equatable {
  /// How the line is stroked: Ernoult et al. draw BPTT solid and EP dashed.
  public enum Style: Sendable, Equatable {
    case solid
    case dashed
  }

  /// How much the line stands out: a light line is thin and translucent, for noisy values
  /// (a running training error) drawn under the regular line they fluctuate around.
  public enum Weight: Sendable, Equatable {
    case regular
    case light
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
  /// Regular or light.
  public var weight: Weight
  /// Whether each drawn point also gets a dot, so a sparse series (one point per epoch) shows
  /// where its values are, and a single point is visible. Dots are left out when there are more
  /// points than one per 11 pixels of plot width, where they would merge.
  public var marksPoints: Bool

  /// A series over `x` (or over 0, 1, 2, … when `x` is nil); regular and unmarked by default.
  public init(
    name: String, values: [Double], x: [Double]? = nil, style: Style = .solid, color: Int = 0,
    weight: Weight = .regular, marksPoints: Bool = false
  ) {
    self.name = name
    self.values = values
    self.x = x
    self.style = style
    self.color = color
    self.weight = weight
    self.marksPoints = marksPoints
  }
}
