@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `hopfield` model: the layered Hopfield energy of the EB setting (spec §2.2), with the
/// drive F = s − ∂E/∂s (or the papers' output row) for the Euler steps of a dynamics.
enum HopfieldModel {
  static let options: [OptionDescription] = [
    OptionDescription(
      "layers", .intList, default: nil,
      doc: "sizes from the output to the input, e.g. [10, 512, 784]", min: 1),
    OptionDescription(
      "activation", .string, default: "sigm",
      doc: "ρ: sigm (1/(1+e^{−4(a−½)})), hardsigm (clip(a, 0, 1), ρ' = 1 on [0, 1]), "
        + "sigmoid, tanh or identity"),
    OptionDescription(
      "output_row", .string, default: "exact",
      doc: "exact: F_0 = ρ'(s_0)⊙(W01ρ(s_1) + b0), an exact energy gradient; reference: "
        + "F_0 = W01ρ(s_1) + b0, as the papers' code (spec pitfall 6)"),
    OptionDescription(
      "input_through_rho", .bool, default: "true",
      doc: "the input enters as ρ(x) (EB papers, spec pitfall 7); false: raw x"),
    OptionDescription(
      "clamp", .bool, default: "true",
      doc: "declare every layer's clip range [0, 1]; false is the papers' --no-clamp"),
    OptionDescription(
      "input_to_output", .bool, default: "false",
      doc: "add W0x and b0x (learning-rate group 0): the output also receives W0xρ(x) + b0x, "
        + "as the toy model of Ernoult et al. 2019, Fig. 2"),
    OptionDescription(
      "cost", .string, default: "half_squared",
      doc: "half_squared: ½‖s_0 − y‖²; squared: ‖s_0 − y‖² (Scellier & Bengio 2017)"),
    OptionDescription(
      "init", .string, default: "pytorch",
      doc: "pytorch: U(±1/√fan_in) for weights and biases; glorot: weights "
        + "U(±√(6/(n_in + n_out))), biases 0 (Scellier & Bengio 2017)"),
  ]

  /// PHI, VJP, F64 and ENERGY; an instance with `output_row: reference` drops ENERGY in its
  /// layout (the papers' output row is not an exact energy gradient, spec pitfall 6).
  static let capabilities = UInt64(
    EQP_MODEL_CAP_PHI | EQP_MODEL_CAP_VJP | EQP_MODEL_CAP_F64 | EQP_MODEL_CAP_ENERGY)

  static var description: PluginDescription {
    PluginDescription(
      kind: .model, id: "hopfield", displayName: "Layered Hopfield energy model",
      version: "1.0.0", capabilities: capabilities,
      vtable: ModelGlue.vtable(capabilities: capabilities) { args, err throws(PluginError) in
        try HopfieldNetwork(args, err: err)
      },
      description:
        "Layered energy model of the energy-based setting (Scellier & Bengio 2017; Ernoult "
        + "et al. 2019): E = ½Σ‖s_i‖² − Σρ(s_i)ᵀW_{i,i+1}ρ(s_{i+1}) − ρ(s_N)ᵀW_{N,x}ρ(x) "
        + "− Σb_iᵀρ(s_i); drive F_i = ρ'(s_i)⊙(W_{i,i+1}ρ(s_{i+1}) + b_i + "
        + "W_{i−1,i}ᵀρ(s_{i−1})) = s_i − ∂E/∂s_i (output row per output_row); input_to_output "
        + "adds −ρ(s_0)ᵀ(W_0xρ(x) + b_0x) to E; phi gives −E "
        + "per example and param_grad −∂E/∂θ (not ε times it). Use with an ε < 1 dynamics.",
      options: options)
  }
}
