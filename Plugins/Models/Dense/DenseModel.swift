@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `dense` model: the layered prototypical network of Ernoult et al. 2019 (spec §2.2),
/// F_l = σ(W_{l,l+1}s_{l+1} + b_l + W_{l−1,l}ᵀs_{l−1}), input raw, σ outside ∂Φ.
enum DenseModel {
  static let options: [OptionDescription] = [
    OptionDescription(
      "layers", .intList, default: nil,
      doc: "sizes from the output to the input, e.g. [10, 512, 784]", min: 1),
    OptionDescription(
      "activation", .string, default: "sigm",
      doc: "σ: sigm (1/(1+e^{−4(a−½)})), hardsigm, sigmoid, tanh or identity"),
    OptionDescription(
      "cost", .string, default: "half_squared",
      doc: "half_squared: ½‖s_0 − y‖² on the output layer; cross_entropy: a softmax readout "
        + "Wout·s_1 + bout outside the energy (Laborieux et al. 2021), layers[0] being the classes"),
  ]

  static let capabilities = UInt64(
    EQP_MODEL_CAP_PHI | EQP_MODEL_CAP_VJP | EQP_MODEL_CAP_F64 | EQP_MODEL_CAP_APPLY_STEP)

  static var description: PluginDescription {
    PluginDescription(
      kind: .model, id: "dense", displayName: "Dense prototypical network", version: "1.0.0",
      capabilities: capabilities,
      vtable: ModelGlue.vtable(capabilities: capabilities) { args, err throws(PluginError) in
        try DenseNetwork(args, err: err)
      },
      description:
        "Layered network of the prototypical setting (Ernoult et al. 2019): "
        + "s_l ← σ(W_{l,l+1}s_{l+1} + b_l + W_{l−1,l}ᵀs_{l−1}), raw input, cost ½‖s_0 − y‖².",
      options: options)
  }
}
