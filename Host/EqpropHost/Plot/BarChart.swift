/// A grouped bar chart: one group per label (a layer, say), one bar per name inside each group.
///
/// Bars with the same name share a colour and one legend entry across groups, as in Fig. 3 of
/// Ernoult et al. (2019), where each layer shows the relative error of each estimate.
public struct BarChart: Sendable, Equatable {
  /// One bar: its value and an optional symmetric error (drawn as an error bar).
  public struct Bar: Sendable, Equatable {
    /// The legend entry; bars with equal names get the same colour.
    public var name: String
    /// The bar's height; NaN, infinite, or (on a log axis) not positive means not drawn.
    public var value: Double
    /// Half the error bar's length, if any; its sign is ignored.
    public var error: Double?

    /// A bar, with or without an error bar.
    public init(name: String, value: Double, error: Double? = nil) {
      self.name = name
      self.value = value
      self.error = error
    }
  }

  /// The bars sharing one label on the x axis.
  public struct Group: Sendable, Equatable {
    /// Shown under the group.
    public var label: String
    /// Drawn left to right.
    public var bars: [Bar]

    /// A group of bars under one label.
    public init(label: String, bars: [Bar]) {
      self.label = label
      self.bars = bars
    }
  }

  /// Shown above the chart.
  public var title: String
  /// Shown beside the y axis, rotated; empty for none.
  public var yLabel: String
  /// Drawn left to right.
  public var groups: [Group]
  /// Whether the y axis is logarithmic; bars then rise from the bottom of the axis.
  public var logY: Bool

  /// A chart; the y axis defaults to linear.
  public init(title: String, yLabel: String = "", groups: [Group], logY: Bool = false) {
    self.title = title
    self.yLabel = yLabel
    self.groups = groups
    self.logY = logY
  }
}
