@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured model: its widths and the layout it declares. Layers are indexed from the
/// output: s0 (the classes), s1 (hidden), then the input x.
///
///     Φ(x, s) = s0·W01·s1 + s1·W1x·x + b0·s0 + b1·s1        E(x, s) = ½‖s‖² − Φ(x, s)
///     drive F = ∂Φ/∂s:  F0 = W01·s1 + b0,  F1 = W01ᵀ·s0 + W1x·x + b1       ℓ = ½‖s0 − y‖²
///
/// Both layers declare the range [0, 1], which the dynamics clips to: on it the hard sigmoid
/// is the identity, so F is exactly s − ∂E/∂s.
final class EnergyNetwork {
  /// Indices of θ in the layout.
  enum Theta {
    static let w01 = 0, b0 = 1, w1x = 2, b1 = 3
  }

  let classes: Int
  let hidden: Int
  let inputs: Int
  let dtype: UInt32
  /// Owns the layout's arrays for as long as the instance lives.
  private let builder = LayoutBuilder()

  init(_ args: EQP_ModelCreateArgs, err: OpaquePointer?) throws(PluginError) {
    guard args.dtype == UInt32(EQP_DTYPE_F32) || args.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginError(.unsupported, "example-energy: dtype \(args.dtype) is neither f32 nor f64")
    }
    // The host has checked the option against its description (a list of integers ≥ 1).
    let layers = try OptionReader(args.options, err: err).ints("layers")
    guard layers.count == 3 else {
      throw PluginError(
        .invalidArgument,
        "model.layers: \(layers) should be three sizes, output first: [classes, hidden, input]")
    }
    (classes, hidden, inputs) = (Int(layers[0]), Int(layers[1]), Int(layers[2]))
    dtype = args.dtype
    let (c, h, d) = (layers[0], layers[1], layers[2])
    builder.addLayer(name: "s0", shape: [c], clip: (lower: 0, upper: 1))
    builder.addLayer(name: "s1", shape: [h], clip: (lower: 0, upper: 1))
    builder.addParameter(name: "W01", shape: [c, h], role: Int32(EQP_PARAM_WEIGHT), group: 0)
    builder.addParameter(name: "b0", shape: [c], role: Int32(EQP_PARAM_BIAS), group: 0)
    builder.addParameter(name: "W1x", shape: [h, d], role: Int32(EQP_PARAM_WEIGHT), group: 1)
    builder.addParameter(name: "b1", shape: [h], role: Int32(EQP_PARAM_BIAS), group: 1)
    builder.finish(inputShape: [d], classCount: classes, groups: 2)
  }
}

extension EnergyNetwork: ViewModelNetwork {
  var pluginID: String { "example-energy" }
  var layout: EQP_ModelLayout { builder.layout }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try EnergyWorkspace(network: self, batch: batch, err: err)
  }

  /// PyTorch's default for a linear layer: weights and biases U(±1/√fan_in), from the host's
  /// seeded stream so that a seed replays.
  func initParams(
    _ params: UnsafeMutablePointer<EQP_Tensor>, count: Int, rng: OpaquePointer?, err: OpaquePointer?
  )
    throws(PluginError)
  {
    guard count == 4, let fill = PluginHost.rng?.pointee.fill_uniform else {
      throw PluginError(
        .invalidArgument, "example-energy.init_params: \(count) tensors given, expected 4")
    }
    let fanIn = [hidden, hidden, inputs, inputs]
    for index in 0..<count {
      let bound = 1 / Double(fanIn[index]).squareRoot()
      try PluginError.check(fill(rng, params + index, -bound, bound, err), "rng.fill_uniform")
    }
  }
}
