import Foundation

/// Picks 4–6 "nice" ticks (1, 2 or 5 × 10^k apart, or decades on a log axis) for a data range.
///
/// A range of one value is padded (by 10 % of it, or ±1 around zero; a decade either side on a
/// log axis) so nothing divides by zero. Non-finite bounds fall back to 0…1 (1…10 on log axes).
enum NiceTicks {
  /// The ticks count we aim for: a nice step that gives 4–6 ticks when one exists.
  private static let wanted = 4...6

  /// Linear ticks covering `low...high` (the bounds may come in either order).
  static func linear(_ low: Double, _ high: Double) -> AxisTicks {
    guard low.isFinite, high.isFinite else { return linear(0, 1) }
    var lower = Swift.min(low, high)
    var upper = Swift.max(low, high)
    // Values below 1e-300 are zero for plotting (their steps would underflow).
    if Swift.max(abs(lower), abs(upper)) < 1e-300 {
      lower = 0
      upper = 0
    }
    // A span below 1e-12 of the values is rounding noise: treat it as one value.
    if upper - lower <= Swift.max(abs(lower), abs(upper)) * 1e-12 {
      let pad = lower == 0 ? 1 : abs(lower) * 0.1
      lower -= pad
      upper += pad
    }
    let span = upper - lower
    // Near Double's limits the span overflows: label just the two bounds.
    guard span.isFinite else { return plain(lower, upper) }
    let decade = Int(floor(log10(span)))
    // Among steps giving 4–6 ticks (else the count nearest that), the one whose axis the data
    // fills best; on a tie, the larger step (fewer ticks).
    var best: (ticks: AxisTicks, miss: Int, fill: Double)?
    for exponent in stride(from: decade + 1, through: decade - 2, by: -1) {
      for mantissa in [5, 2, 1] {
        guard let ticks = candidate(lower, upper, mantissa: mantissa, exponent: exponent) else {
          continue
        }
        let count = ticks.values.count
        let miss = wanted.contains(count) ? 0 : Swift.min(abs(count - 4), abs(count - 6))
        let fill = span / (ticks.upper - ticks.lower)
        if let current = best,
          miss > current.miss || (miss == current.miss && fill <= current.fill + 1e-9)
        {
          continue
        }
        best = (ticks, miss, fill)
      }
    }
    return best?.ticks ?? plain(lower, upper)
  }

  /// Log ticks covering `low...high`: whole decades (every 2nd, 5th… when there are many), or
  /// 1, 2, 5 × 10^k when the range fits in one decade.
  static func log(_ low: Double, _ high: Double) -> AxisTicks {
    guard low.isFinite, high.isFinite, low > 0, high > 0 else { return log(1, 10) }
    // Keep exponents where 10^k is a normal Double, so positions stay finite.
    var first = Swift.max(-307, Int(floor(log10(Swift.min(low, high)) + 1e-9)))
    var last = Swift.min(308, Int(ceil(log10(Swift.max(low, high)) - 1e-9)))
    if first >= last {
      first = Swift.min(first, last) - 1
      last = first + 2
    }
    if last - first == 1 {
      let base = power(first)
      let values = [1.0, 2, 5].map { $0 * base } + [power(last)]
      return AxisTicks(
        lower: base, upper: power(last), values: values, step: base, isLog: true)
    }
    for stride in [1, 2, 5, 10, 20, 50, 100, 200] {
      // Align to multiples of the stride, so the labels read 1e-8, 1e-6, … rather than 1e-7, 1e-5.
      let start = Int(floor(Double(first) / Double(stride))) * stride
      let end = Int(ceil(Double(last) / Double(stride))) * stride
      if (end - start) / stride + 1 <= wanted.upperBound || stride == 200 {
        let values = Swift.stride(from: start, through: end, by: stride).map(power)
          .filter { $0 > 0 && $0.isFinite }
        if let lowest = values.first, let highest = values.last, lowest < highest {
          return AxisTicks(
            lower: lowest, upper: highest, values: values, step: lowest, isLog: true)
        }
      }
    }
    return log(1, 10)
  }

  /// The ticks `mantissa × 10^exponent` apart that enclose the range, or nil when the count is
  /// absurd (the step is far too small for the range).
  private static func candidate(
    _ lower: Double, _ upper: Double, mantissa: Int, exponent: Int
  ) -> AxisTicks? {
    let step = Double(mantissa) * power(exponent)
    // 1e-7 of a step absorbs rounding in `lower / step` without moving a real bound.
    let firstIndex = floor(lower / step + 1e-7)
    let lastIndex = ceil(upper / step - 1e-7)
    guard lastIndex - firstIndex < 100, abs(firstIndex) < 1e12, abs(lastIndex) < 1e12,
      let first = Int(exactly: firstIndex), let last = Int(exactly: lastIndex)
    else { return nil }
    // i × m / 10^-k rounds better than i × (m × 10^k): 3 × 0.1 would print 0.30000000000000004.
    let values = (first...last).map { index in
      exponent < 0
        ? Double(index * mantissa) / power(-exponent) : Double(index * mantissa) * power(exponent)
    }
    guard let lowest = values.first, let highest = values.last, lowest < highest,
      lowest.isFinite, highest.isFinite
    else { return nil }
    return AxisTicks(lower: lowest, upper: highest, values: values, step: step, isLog: false)
  }

  /// The two bounds as the only ticks, for ranges too wide to step through.
  private static func plain(_ lower: Double, _ upper: Double) -> AxisTicks {
    let low = lower.isFinite ? lower : -Double.greatestFiniteMagnitude / 2
    let high = upper.isFinite ? upper : Double.greatestFiniteMagnitude / 2
    return AxisTicks(
      lower: low, upper: high, values: [low, high], step: Swift.max(abs(low), abs(high)),
      isLog: false)
  }

  /// 10^exponent.
  private static func power(_ exponent: Int) -> Double {
    pow(10, Double(exponent))
  }
}
