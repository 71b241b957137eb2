// The activations and their derivatives as vector functions, shared by Float and Double.
//
// Every function returns NaN for a NaN lane. The derivatives of the logistic family avoid
// 4 s (1 − s), which cancels to 0 (or to a few ulp) once s rounds to 1: with e = exp(z),
// σ(z)·σ(−z) = 1 / (2 + e + 1/e), a sum of positive terms, accurate to a few ulp everywhere
// and exactly 0 when e or 1/e overflows.

extension Activation {
  /// y = act(x) over n elements; y may be x.
  @inline(__always)
  func apply<T: KernelFloat>(_ n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    switch self {
    case .identity:
      if UnsafePointer(y) != x { y.update(from: x, count: n) }
    case .sigm:
      VectorLoop.map(n, x, y) { a in Activation.logistic(negated: 2 - a * 4) }
    case .hardsigm:
      let zero = T.Vector(repeating: 0)
      let one = T.Vector(repeating: 1)
      VectorLoop.map(n, x, y) { a in Elementwise.clamp(a, low: zero, high: one) }
    case .sigmoid:
      VectorLoop.map(n, x, y) { a in Activation.logistic(negated: -a) }
    case .tanh:
      VectorLoop.map(n, x, y) { a in T.tanh(a) }
    }
  }

  /// y = act'(x) over n elements; y may be x.
  @inline(__always)
  func applyDerivative<T: KernelFloat>(
    _ n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>
  ) {
    switch self {
    case .identity:
      let one = T.Vector(repeating: 1)
      VectorLoop.map(n, x, y) { a in one.replacing(with: a, where: T.nanLanes(a)) }
    case .sigm:
      // d/da σ(4a − 2) = 4 σ'(4a − 2).
      VectorLoop.map(n, x, y) { a in 4 * Activation.logisticDerivative(a * 4 - 2) }
    case .hardsigm:
      // 1 on the closed interval [0, 1] (spec pitfall 5); NaN fails both tests and stays NaN.
      let zero = T.Vector(repeating: 0)
      let one = T.Vector(repeating: 1)
      VectorLoop.map(n, x, y) { a in
        let inside = T.lanes(zero, lessThanOrEqualTo: a) .& T.lanes(a, lessThanOrEqualTo: one)
        return zero.replacing(with: 1, where: inside).replacing(with: a, where: T.nanLanes(a))
      }
    case .sigmoid:
      VectorLoop.map(n, x, y) { a in Activation.logisticDerivative(a) }
    case .tanh:
      // tanh(a) = 2σ(2a) − 1, so tanh'(a) = 4σ'(2a) = 1 − tanh²(a) without the cancellation.
      VectorLoop.map(n, x, y) { a in 4 * Activation.logisticDerivative(a + a) }
    }
  }

  /// σ(z) = 1 / (1 + e^−z) from m = −z: 0 when e^m overflows, 1 when it underflows.
  @inline(__always)
  static func logistic<V: SIMD>(negated m: V) -> V
  where V.Scalar: KernelFloat, V.Scalar.Vector == V {
    1 / (1 + V.Scalar.exp(m))
  }

  /// σ'(z) = σ(z) σ(−z) = 1 / (2 + e + 1/e) with e = e^z (symmetric in e and 1/e).
  @inline(__always)
  static func logisticDerivative<V: SIMD>(_ z: V) -> V
  where V.Scalar: KernelFloat, V.Scalar.Vector == V {
    let e = V.Scalar.exp(z)
    return 1 / (2 + e + 1 / e)
  }
}
