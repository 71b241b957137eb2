import EqpropPluginSDK

/// The resolved options of one `hopfield` instance (spec §2.2, EB setting).
struct HopfieldSettings {
  /// How F treats the output row (spec pitfall 6).
  enum OutputRow: String, CaseIterable {
    /// F_0 = ρ'(s_0) ⊙ (W01ρ(s1) + b0): F = s − ∂E/∂s on every row.
    case exact
    /// F_0 = W01ρ(s1) + b0, as the papers' code: not an exact gradient system.
    case reference
  }

  /// The cost ℓ(s_0, y) (spec pitfall 4).
  enum Cost: String, CaseIterable {
    /// ½‖s_0 − y‖² (Ernoult et al. 2019).
    case halfSquared = "half_squared"
    /// ‖s_0 − y‖² (Scellier & Bengio 2017): the nudge doubles.
    case squared

    /// k in ℓ = k·‖s_0 − y‖².
    var scale: Double { self == .halfSquared ? 0.5 : 1 }
  }

  /// How `init_params` draws θ.
  enum Initialisation: String, CaseIterable {
    /// Weights and biases U(±1/√fan_in), PyTorch's Linear default (as `dense`).
    case pytorch
    /// Weights U(±√(6/(n_in + n_out))), biases 0 (Scellier & Bengio 2017).
    case glorot
  }

  /// Layer sizes from the output (sizes[0]) to the layer next to the input.
  let sizes: [Int]
  let inputSize: Int
  let activation: Activation
  let outputRow: OutputRow
  let inputThroughRho: Bool
  let clamp: Bool
  /// The output also receives W_0xρ(x) + b_0x (the toy model of Ernoult et al. 2019, Fig. 2).
  let inputToOutput: Bool
  let cost: Cost
  let initialisation: Initialisation

  init(_ options: OptionReader) throws(PluginError) {
    (sizes, inputSize) = try options.layerSizes()
    activation = try options.choice("activation", as: Activation.self)
    outputRow = try options.choice("output_row", as: OutputRow.self)
    inputThroughRho = try options.bool("input_through_rho")
    clamp = try options.bool("clamp")
    inputToOutput = try options.bool("input_to_output")
    guard !inputToOutput || sizes.count >= 2 else {
      throw PluginError(
        .invalidArgument,
        "model.input_to_output: with one layer before the input (\(sizes)) the output already is the layer next to "
          + "the input; give a hidden layer (e.g. [10, 50, 5]) or set input_to_output: false")
    }
    cost = try options.choice("cost", as: Cost.self)
    initialisation = try options.choice("init", as: Initialisation.self)
  }
}
