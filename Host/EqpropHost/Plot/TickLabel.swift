import Foundation

/// Writes tick labels compactly: `0`, `0.25`, `1500`, or, on an axis whose ticks are all small
/// or reach large values, `1e-3`, `2.5e-7`, `1e4`.
///
/// One axis uses one form, so labels line up (5e-4, 1e-3, 1.5e-3; not 5e-4, 0.001, 0.0015).
/// The digits shown follow the tick step, so neighbouring labels differ (0.1, 0.12, 0.14) and
/// rounding noise (0.30000000000000004) never shows.
enum TickLabel {
  /// At most this many digits after the point, in either form.
  private static let maximumDecimals = 8

  /// The labels of `ticks`, one per value.
  static func labels(_ ticks: AxisTicks) -> [String] {
    let magnitudes = ticks.values.map(abs).filter { $0 > 0 }
    let largest = magnitudes.max() ?? 0
    let smallest = magnitudes.min() ?? 0
    // A linear axis goes exponential when even its largest tick needs two zeros after the point.
    let exponential =
      largest >= 1e4 || (ticks.isLog ? smallest < 1e-3 : largest > 0 && largest < 1e-2)
    return ticks.values.map { value in
      format(value, step: ticks.isLog ? value : ticks.step, exponential: exponential)
    }
  }

  /// `value` as a label on an axis whose ticks are `step` apart, in the form asked for.
  static func format(_ value: Double, step: Double, exponential: Bool) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
    let magnitude = abs(value)
    // Anything below a millionth of a step is a zero that rounding left behind.
    if magnitude == 0 || (step.isFinite && step > 0 && magnitude < step * 1e-6) { return "0" }
    let stepExponent = exponent(step.isFinite && step > 0 ? step : magnitude)
    guard exponential else {
      return fixed(value, Swift.min(maximumDecimals, Swift.max(0, -stepExponent)))
    }
    var power = exponent(magnitude)
    var decimals = Swift.min(maximumDecimals, Swift.max(0, power - stepExponent))
    var mantissa = rounded(value / pow(10, Double(power)), decimals)
    // 9.96e-4 with no decimals rounds to 10e-4: write 1e-3 instead.
    if abs(mantissa) >= 10 {
      power += 1
      decimals = Swift.max(0, decimals - 1)
      mantissa = rounded(value / pow(10, Double(power)), decimals)
    }
    return fixed(mantissa, decimals) + "e\(power)"
  }

  /// floor(log10(magnitude)), robust to log10(1000) coming out a hair under 3.
  private static func exponent(_ magnitude: Double) -> Int {
    let raw = log10(magnitude)
    guard raw.isFinite else { return 0 }
    return Int((raw + 1e-9).rounded(.down))
  }

  /// `value` rounded to `decimals` places.
  private static func rounded(_ value: Double, _ decimals: Int) -> Double {
    let scale = pow(10, Double(decimals))
    return (value * scale).rounded() / scale
  }

  /// `value` with `decimals` places, trailing zeros (and a bare point) removed, never "-0".
  private static func fixed(_ value: Double, _ decimals: Int) -> String {
    var text = String(format: "%.\(decimals)f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }
}
