/// The range an axis spans and the ticks labelled on it, from ``NiceTicks``.
///
/// Invariants: `lower < upper`, both finite (and positive when `isLog`), and every tick lies in
/// `lower...upper`. The range is widened to the outer ticks, so both ends carry a label.
struct AxisTicks: Sendable, Equatable {
  /// The value at the start of the axis (left or bottom).
  var lower: Double
  /// The value at the end of the axis (right or top).
  var upper: Double
  /// The ticks, ascending.
  var values: [Double]
  /// The spacing that decides how many digits a label shows (see ``TickLabel``); for log axes
  /// each tick is its own step.
  var step: Double
  /// Whether positions are proportional to log10 of the value.
  var isLog: Bool
}
