/// The mean and the sample standard deviation of some runs' values: what the papers' "mean ±
/// std over 5 runs" reports.
public struct SampleStatistics: Sendable, Equatable {
  public var count: Int
  /// nil without values.
  public var mean: Double?
  /// √(Σ(x − mean)² / (n − 1)): the sample standard deviation, Bessel-corrected because the
  /// mean is estimated from the same few runs; nil below two values, where it is undefined.
  public var standardDeviation: Double?

  public init(_ values: [Double]) {
    count = values.count
    guard !values.isEmpty else { return }
    let mean = values.reduce(0, +) / Double(values.count)
    self.mean = mean
    guard values.count > 1 else { return }
    let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
    standardDeviation = (squares / Double(values.count - 1)).squareRoot()
  }
}
