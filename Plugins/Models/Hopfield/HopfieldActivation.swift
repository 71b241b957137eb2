@preconcurrency import CEqprop

/// The activation ρ of the energy, by its config name, with what the vjp needs of ρ''.
enum HopfieldActivation: String, CaseIterable {
  case hardsigm, sigm, sigmoid, tanh

  /// The kernel's activation code (`EQP_ACT_*`).
  var code: Int32 {
    switch self {
    case .hardsigm: Int32(EQP_ACT_HARDSIGM)
    case .sigm: Int32(EQP_ACT_SIGM)
    case .sigmoid: Int32(EQP_ACT_SIGMOID)
    case .tanh: Int32(EQP_ACT_TANH)
    }
  }

  /// (c₀, c₁) with ρ'' = ρ'·(c₀ + c₁ρ), since the kernel has no second-derivative op:
  /// sigm = σ(4a − 2) gives 4ρ'(1 − 2ρ), sigmoid ρ'(1 − 2ρ), tanh −2ρρ', and hardsigm 0
  /// (almost everywhere: clip(a, 0, 1) is piecewise linear).
  var curvature: (constant: Double, linear: Double) {
    switch self {
    case .hardsigm: (0, 0)
    case .sigm: (4, -8)
    case .sigmoid: (1, -2)
    case .tanh: (0, -2)
    }
  }
}
