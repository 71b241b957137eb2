@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `example-energy` model: examples/c-model/layered_energy.c written with the SDK, the
/// same math through the same kernel calls (so a seeded run gives the same numbers).
enum EnergyModel {
  static let capabilities = UInt64(
    EQP_MODEL_CAP_PHI | EQP_MODEL_CAP_VJP | EQP_MODEL_CAP_F64 | EQP_MODEL_CAP_ENERGY)

  static var description: PluginDescription {
    PluginDescription(
      kind: .model, id: "example-energy", displayName: "Layered Hopfield energy (Swift example)",
      version: "1.0.0", capabilities: capabilities,
      // The SDK builds the C vtable: optional entries where the capabilities promise them.
      vtable: ModelGlue.vtable(capabilities: capabilities) { args, err throws(PluginError) in
        try EnergyNetwork(args, err: err)
      },
      description:
        "One hidden layer, E = ½‖s‖² − Φ with bilinear Φ, states clipped to [0, 1] (the hard "
        + "sigmoid), cost ½‖s0 − y‖²; examples/swift-plugins.",
      options: [
        OptionDescription(
          "layers", .intList, default: nil,
          doc: "[classes, hidden, input] widths, output first, e.g. [10, 256, 784]", min: 1)
      ])
  }
}
