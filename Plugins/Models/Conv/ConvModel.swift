@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `conv` model: the convolutional prototypical network of Ernoult et al. 2019 (spec §2.2,
/// P-conv), generic in its stack of convolutions so that deeper nets (Laborieux et al. 2021:
/// 3×3 kernels, padding 1) are a config.
enum ConvModel {
  static let options: [OptionDescription] = [
    OptionDescription(
      "input", .intList, default: "[1, 28, 28]", doc: "input channels, height, width", min: 1),
    OptionDescription("classes", .int, default: "10", doc: "output units (s_0)", min: 1),
    OptionDescription(
      "conv", .tree, default: "[{channels: 32, kernel: 5}, {channels: 64, kernel: 5}]",
      doc: "convolutions FROM THE INPUT SIDE, each {channels, kernel, stride: 1, padding: 0, "
        + "pool: 2} (pool 1: none); the default is P-conv's 1→32→64, 5×5, 2×2 max-pool"),
    OptionDescription(
      "activation", .string, default: "hardsigm",
      doc: "σ: hardsigm (clip(a, 0, 1), P-conv's), sigm, sigmoid, tanh or identity"),
    OptionDescription(
      "cost", .string, default: "half_squared",
      doc: "half_squared: ½‖s_0 − y‖² on the output layer; cross_entropy: W01, b0 become a "
        + "softmax readout of s_1 outside the energy (Laborieux et al. 2021)"),
  ]

  static let capabilities = UInt64(EQP_MODEL_CAP_PHI | EQP_MODEL_CAP_VJP | EQP_MODEL_CAP_F64)

  static var description: PluginDescription {
    PluginDescription(
      kind: .model, id: "conv", displayName: "Convolutional prototypical network",
      version: "1.0.0", capabilities: capabilities,
      vtable: ModelGlue.vtable(capabilities: capabilities) { args, err throws(PluginError) in
        try ConvNetwork(args, err: err)
      },
      description:
        "Convolutional network of the prototypical setting (Ernoult et al. 2019, P-conv): "
        + "s_0 ← σ(W_fc vec(s_1) + b_fc), s_k ← σ(P(C_k(s_{k+1})) + C̃_{k−1}(P⁻¹(s_{k−1}))) "
        + "with max-pooling indices recomputed at every step, raw input, cost ½‖s_0 − y‖². "
        + "Needs a host of ABI 1.1 (convolution kernels).",
      options: options)
  }
}
