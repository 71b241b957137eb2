/// The per-element relative error of two series over time steps (spec §4 item 8):
/// e = sqrt(Σ_t(n_t − d_t)² / max(Σ_t n_t², Σ_t d_t²)), 0 when both sums are 0; reported as
/// the mean and standard deviation over the elements of a layer or matrix. Accumulated one
/// step at a time, so no series is stored.
struct RelativeErrorAccumulator {
  private var squaredDifference: [Double]
  private var squaredReference: [Double]
  private var squaredEstimate: [Double]

  init(count: Int) {
    squaredDifference = [Double](repeating: 0, count: count)
    squaredReference = squaredDifference
    squaredEstimate = squaredDifference
  }

  /// Adds step t: `reference` (BPTT or RBP) and `estimate` (EP), element by element.
  mutating func add(reference: [Double], estimate: [Double]) {
    for index in squaredDifference.indices {
      let n = reference[index]
      let d = estimate[index]
      squaredDifference[index] += (n - d) * (n - d)
      squaredReference[index] += n * n
      squaredEstimate[index] += d * d
    }
  }

  /// Per-element errors.
  var errors: [Double] {
    squaredDifference.indices.map { index in
      let denominator = max(squaredReference[index], squaredEstimate[index])
      return denominator == 0 ? 0 : (squaredDifference[index] / denominator).squareRoot()
    }
  }

  /// Mean and standard deviation of the per-element errors.
  var summary: (mean: Double, std: Double) {
    let values = errors
    guard !values.isEmpty else { return (0, 0) }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
    return (mean, variance.squareRoot())
  }
}
