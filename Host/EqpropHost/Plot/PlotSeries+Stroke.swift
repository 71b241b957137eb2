/// How a series' weight and point marks look, shared by the plot and its legend.
extension PlotSeries.Weight {
  /// The line's width in a plot, in pixels.
  var lineWidth: Double { self == .regular ? 1.6 : 1 }
  /// The line's opacity: a light line lets the regular lines over it stay readable.
  var opacity: Double { self == .regular ? 1 : 0.45 }
}

extension PlotSeries {
  /// The radius of the dot on each point of a series that ``marksPoints``: wider than the
  /// line, so the dot shows on it.
  static let markRadius = 2.8
}
