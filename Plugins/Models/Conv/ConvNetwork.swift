@preconcurrency import CEqprop
import EqpropPluginSDK

/// A configured convolutional network (spec §2.2, P-conv): states, parameters and the layout
/// they declare.
///
/// States from the output: s_0 [classes], then s_k [C_k, h_k, w_k] for k = 1 … L, s_L next
/// to the input x. Parameters, in order: W01 [classes, |s_1|] and b0 (the fc readout, group
/// 0), then for each k the weight of C_k, named like the dense model's (W12, …, W{L}x) and
/// shaped [C_k, C_{k+1}, kernel, kernel], and its bias b{k} (group k). Learning-rate groups
/// thus run output → input as the papers' lr_tab: P-conv's [η_fc, η_C1, η_C2].
final class ConvNetwork: ModelNetwork {
  let pluginID = "conv"
  let classes: Int
  let input: (channels: Int, height: Int, width: Int)
  /// layers[k − 1] is C_k: the output side first.
  let layers: [ConvLayer]
  let activation: Int32
  let dtype: UInt32
  /// With `cost: cross_entropy`, s_0 leaves the energy: W01, b0 become a softmax readout of
  /// s_1 (Laborieux et al. 2021) and the states start at s_1.
  let readout: SoftmaxReadout?
  /// The first state layer of the energy: 0, or 1 with a readout.
  var first: Int { readout == nil ? 0 : 1 }
  private let builder = LayoutBuilder()
  var layout: EQP_ModelLayout { builder.layout }

  /// L, the number of convolutions (and of conv states).
  var depth: Int { layers.count }
  /// |s_1|: the fc readout's input width.
  var fcWidth: Int { layers[0].statePerExample }
  var inputPerExample: Int { input.channels * input.height * input.width }
  /// Parameter indices: k = 0 is the fc readout, k ≥ 1 the convolution C_k.
  func weightIndex(_ k: Int) -> Int { 2 * k }
  func biasIndex(_ k: Int) -> Int { 2 * k + 1 }
  /// Elements per example of state l (0 = output).
  func stateWidth(_ l: Int) -> Int { l == 0 ? classes : layers[l - 1].statePerExample }

  init(_ args: EQP_ModelCreateArgs, err: OpaquePointer?) throws(PluginError) {
    guard args.dtype == UInt32(EQP_DTYPE_F32) || args.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginError(.unsupported, "conv: dtype \(args.dtype) is neither f32 nor f64")
    }
    try KernelCalls(dtype: args.dtype, err: err).requireConvolution("conv.create")
    let options = OptionReader(args.options, err: err)
    let shape = try options.ints("input")
    guard shape.count == 3 else {
      throw PluginError(
        .invalidArgument,
        "model.input: \(shape) has \(shape.count) entries; give [channels, height, width]")
    }
    input = (Int(shape[0]), Int(shape[1]), Int(shape[2]))
    classes = Int(try options.int("classes"))
    layers = try ConvLayer.read(options, input: input)
    activation = try options.choice("activation", as: Activation.self).code
    dtype = args.dtype
    let crossEntropy = try options.choice("cost", as: OutputCost.self) == .crossEntropy
    readout = crossEntropy ? SoftmaxReadout(classes: classes, features: layers[0].statePerExample, dtype: dtype) : nil
    buildLayout()
  }

  private func buildLayout() {
    // σ bounds the states (hardsigm to [0, 1]): nothing to clip.
    if readout == nil { builder.addLayer(name: "s0", shape: [Int64(classes)], clip: nil) }
    for (index, layer) in layers.enumerated() {
      builder.addLayer(
        name: "s\(index + 1)", shape: [layer.channels, layer.outH, layer.outW].map { Int64($0) },
        clip: nil)
    }
    builder.addParameter(
      name: "W01", shape: [Int64(classes), Int64(fcWidth)], role: Int32(EQP_PARAM_WEIGHT), group: 0)
    builder.addParameter(name: "b0", shape: [Int64(classes)], role: Int32(EQP_PARAM_BIAS), group: 0)
    for (index, layer) in layers.enumerated() {
      let k = index + 1
      let source = k < depth ? "\(k + 1)" : "x"
      builder.addParameter(
        name: "W\(k)\(source)", shape: layer.weightShape, role: Int32(EQP_PARAM_WEIGHT), group: k)
      builder.addParameter(
        name: "b\(k)", shape: [Int64(layer.channels)], role: Int32(EQP_PARAM_BIAS), group: k)
    }
    builder.finish(
      inputShape: [input.channels, input.height, input.width].map { Int64($0) },
      classCount: classes, groups: depth + 1)
  }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try ConvWorkspace(network: self, batch: batch, err: err)
  }
}

/// The output cost: ½‖s_0 − y‖² on an output layer in the energy, or a cross-entropy readout.
enum OutputCost: String, CaseIterable {
  case halfSquared = "half_squared"
  case crossEntropy = "cross_entropy"
}
