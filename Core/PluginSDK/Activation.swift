@preconcurrency import CEqprop

/// An activation by its config name, with its kernel code and what a vjp needs of ρ''.
public enum Activation: String, CaseIterable, Sendable {
  case sigm, hardsigm, sigmoid, tanh, identity

  /// The kernel's activation code (`EQP_ACT_*`).
  public var code: Int32 {
    switch self {
    case .sigm: Int32(EQP_ACT_SIGM)
    case .hardsigm: Int32(EQP_ACT_HARDSIGM)
    case .sigmoid: Int32(EQP_ACT_SIGMOID)
    case .tanh: Int32(EQP_ACT_TANH)
    case .identity: Int32(EQP_ACT_IDENTITY)
    }
  }

  /// (c₀, c₁) with ρ'' = ρ'·(c₀ + c₁ρ), since the kernel has no second-derivative op:
  /// sigm = σ(4a − 2) gives 4ρ'(1 − 2ρ), sigmoid ρ'(1 − 2ρ), tanh −2ρρ'; hardsigm and identity
  /// are piecewise linear (0 almost everywhere).
  public var curvature: (constant: Double, linear: Double) {
    switch self {
    case .hardsigm, .identity: (0, 0)
    case .sigm: (4, -8)
    case .sigmoid: (1, -2)
    case .tanh: (0, -2)
    }
  }
}
