/// A series reduced to what gets drawn: its valid points, at most ``limit`` of them, in runs
/// that break wherever a skipped point lay between two drawn ones.
///
/// A point is valid when its x and y are finite and, on a log axis, y > 0. Past ``limit`` valid
/// points the series is cut into `limit / 2` equal index buckets and each keeps its lowest and
/// highest point, so spikes survive and the line's envelope looks the same.
struct SeriesPoints {
  /// One drawn point, in data units.
  struct Point: Equatable {
    var x: Double
    var y: Double
  }

  /// The most points a series keeps (2 000: a few per pixel column of any sensible plot).
  static let limit = 2_000

  /// The runs of points to join with lines; a run of one is drawn as a dot.
  private(set) var runs: [[Point]] = []
  /// How many points were invalid and skipped.
  private(set) var skipped = 0
  /// How many values had no x to pair with (or x values no value), and were ignored.
  private(set) var unpaired = 0
  /// How many valid points there were before downsampling.
  private(set) var valid = 0

  /// The points of `series` as a panel with `logY` draws them, at most `limit` of them.
  init(_ series: PlotSeries, logY: Bool, limit: Int = SeriesPoints.limit) {
    let count = series.x.map { Swift.min($0.count, series.values.count) } ?? series.values.count
    unpaired = series.x.map { abs($0.count - series.values.count) } ?? 0
    let xAt: (Int) -> Double = { index in series.x.map { $0[index] } ?? Double(index) }
    // invalidBefore[i]: how many invalid points lie in 0..<i, so a gap test is one subtraction.
    var invalidBefore = [0]
    invalidBefore.reserveCapacity(count + 1)
    var validIndices: [Int] = []
    for index in 0..<count {
      let y = series.values[index]
      let isValid = xAt(index).isFinite && y.isFinite && (!logY || y > 0)
      if isValid { validIndices.append(index) }
      invalidBefore.append((invalidBefore.last ?? 0) + (isValid ? 0 : 1))
    }
    skipped = count - validIndices.count
    valid = validIndices.count
    let kept =
      validIndices.count > Swift.max(limit, 2)
      ? SeriesPoints.extremes(of: validIndices, values: series.values, count: count, limit: limit)
      : validIndices
    var previous: Int?
    for index in kept {
      let point = Point(x: xAt(index), y: series.values[index])
      if let previous, invalidBefore[index] == invalidBefore[previous + 1], !runs.isEmpty {
        runs[runs.count - 1].append(point)
      } else {
        runs.append([point])
      }
      previous = index
    }
  }

  /// Every point drawn, across runs.
  var points: [Point] { runs.flatMap { $0 } }

  /// The lowest and highest valid point of each of `limit / 2` equal buckets of `0..<count`,
  /// in index order.
  private static func extremes(
    of indices: [Int], values: [Double], count: Int, limit: Int
  ) -> [Int] {
    let buckets = Swift.max(1, limit / 2)
    var kept: [Int] = []
    kept.reserveCapacity(buckets * 2)
    var position = 0
    for bucket in 0..<buckets {
      let end = (bucket + 1) * count / buckets
      var lowest: Int?
      var highest: Int?
      while position < indices.count, indices[position] < end {
        let index = indices[position]
        if lowest.map({ values[index] < values[$0] }) ?? true { lowest = index }
        if highest.map({ values[index] > values[$0] }) ?? true { highest = index }
        position += 1
      }
      guard let lowest, let highest else { continue }
      kept +=
        lowest == highest ? [lowest] : [Swift.min(lowest, highest), Swift.max(lowest, highest)]
    }
    return kept
  }
}
