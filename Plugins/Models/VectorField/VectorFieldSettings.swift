import EqpropPluginSDK

/// The resolved options of one `vf` instance (spec §2.3).
struct VectorFieldSettings {
  enum Form: String, CaseIterable {
    /// VFdisc: s_i ← σ(W_{i,i+1}s_{i+1} + b_i + B_{i,i−1}s_{i−1}), raw input, dt = 1.
    case discrete
    /// VFcont: F_i = W_{i,i+1}ρ(s_{i+1}) + b_i + B_{i,i−1}ρ(s_{i−1}) (no ρ'), input ρ(x),
    /// for an Euler dynamics with ε < 1.
    case continuous
  }

  /// Layer sizes from the output (sizes[0]) to the layer next to the input.
  let sizes: [Int]
  let inputSize: Int
  let activation: Activation
  let form: Form
  /// B = Wᵀ kept tied: the prototypical (EP) network, trained by EP's rule.
  let tied: Bool
  /// Ψ₀ in degrees: each entry of B = Wᵀ flips sign with probability ½(1 − cos Ψ₀).
  let initialAngle: Double
  let clamp: Bool

  init(_ options: OptionReader) throws(PluginError) {
    // A vector-field network needs a hidden layer for its feedback matrices.
    (sizes, inputSize) = try options.layerSizes(minimum: 3)
    activation = try options.choice("activation", as: Activation.self)
    form = try options.choice("form", as: Form.self)
    tied = try options.bool("tied")
    initialAngle = try options.double("angle")
    clamp = try options.bool("clamp")
    guard !tied || initialAngle == 0 else {
      throw PluginError(
        .invalidArgument, "model.angle: \(initialAngle)° asks for B ≠ Wᵀ, but tied: true keeps B = Wᵀ")
    }
  }
}
