import _EqpropKernelSIMD

extension Activation {
  /// Activations over at least this many elements are split across the kernel's threads: a
  /// batch-20 layer of 512 units at about half a nanosecond each, against a hand-off of
  /// about a microsecond.
  static let parallelElements = 8192

  /// y = act(x) in float32: the exp-based activations through _EqpropKernelSIMD's C loop
  /// (AVX2 + FMA where the CPU has it: about 2.5 times the baseline Swift loop's speed on
  /// this project's AMD EPYC), the others through `apply`.
  func applyFloat(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    switch self {
    case .sigm: eqp_simd_logistic_f32(Int64(n), 4, 2, x, y)
    case .sigmoid: eqp_simd_logistic_f32(Int64(n), 1, 0, x, y)
    case .tanh: eqp_simd_tanh_f32(Int64(n), x, y)
    case .identity, .hardsigm: apply(n, x, y)
    }
  }
}
