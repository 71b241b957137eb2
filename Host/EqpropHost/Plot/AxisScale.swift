import Foundation

/// Maps values on one axis to pixels: linearly, or linearly in log10 for a log axis.
struct AxisScale {
  /// The range and ticks of the axis.
  var ticks: AxisTicks
  /// The pixel where `ticks.lower` lands.
  var start: Double
  /// The pixel where `ticks.upper` lands (smaller than `start` for a y axis, which grows up).
  var end: Double

  /// The pixel for `value`; values outside the axis land outside `start...end`, and values a
  /// log axis cannot show (≤ 0) land at `start`.
  func pixel(_ value: Double) -> Double {
    let fraction: Double
    if ticks.isLog {
      guard value > 0 else { return start }
      fraction = (log10(value) - log10(ticks.lower)) / (log10(ticks.upper) - log10(ticks.lower))
    } else {
      fraction = (value - ticks.lower) / (ticks.upper - ticks.lower)
    }
    return start + fraction * (end - start)
  }
}
