@preconcurrency import CEqprop
import EqpropPluginSDK

/// A configured layered network of the prototypical setting (spec §2.2): sizes, activation,
/// and the layout it declares to the host.
///
/// Layers are indexed from the output: `sizes[0]` is the output, `sizes[N]` the hidden layer
/// next to the input, `inputSize` the input. Parameters, in order, are
/// `W01, b0, W12, b1, …, W{N}x, b{N}`; `W_{i,i+1}` is `sizes[i] × sizes[i+1]` and shares
/// learning-rate group i with `b_i` (spec §3: output → input).
///
/// With `cost: cross_entropy` the first size of `layers` is the class count of a softmax
/// readout outside the energy (Laborieux et al. 2021): the states are the hidden layers only,
/// `Wout, bout` follow the other parameters in group 0, and layer i's parameters take group
/// i + 1, so the config's learning-rate list keeps its length and order.
final class DenseNetwork {
  enum Cost: String, CaseIterable {
    case halfSquared = "half_squared"
    case crossEntropy = "cross_entropy"
  }

  let sizes: [Int]
  let inputSize: Int
  let activation: Int32
  let dtype: UInt32
  /// The cross-entropy readout, when `cost: cross_entropy`.
  let readout: SoftmaxReadout?
  var classCount: Int { readout?.classes ?? sizes[0] }
  var readoutWeightIndex: Int { 2 * layerCount }
  var readoutBiasIndex: Int { 2 * layerCount + 1 }
  var parameterCount: Int { 2 * layerCount + (readout == nil ? 0 : 2) }
  /// The learning-rate group of state layer i's parameters.
  func group(_ layer: Int) -> Int { readout == nil ? layer : layer + 1 }
  /// The layout handed to the host; its arrays live as long as this object.
  private let builder = LayoutBuilder()
  var layout: EQP_ModelLayout { builder.layout }

  var hiddenCount: Int { sizes.count - 1 }
  var layerCount: Int { sizes.count }
  /// Parameter index of the weight feeding layer i from the input side (i == N: W_{N,x}).
  func weightIndex(_ layer: Int) -> Int { 2 * layer }
  func biasIndex(_ layer: Int) -> Int { 2 * layer + 1 }
  /// Width of the layer on the input side of layer i.
  func inputWidth(of layer: Int) -> Int { layer < hiddenCount ? sizes[layer + 1] : inputSize }

  init(_ args: EQP_ModelCreateArgs, err: OpaquePointer?) throws(PluginError) {
    let options = OptionReader(args.options, err: err)
    let cost = try options.choice("cost", as: Cost.self)
    // A cross-entropy readout needs a hidden layer to read.
    let layers = try options.layerSizes(minimum: cost == .crossEntropy ? 3 : 2)
    let activation = try options.choice("activation", as: Activation.self).code
    guard args.dtype == UInt32(EQP_DTYPE_F32) || args.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginError(.unsupported, "dense: dtype \(args.dtype) is neither f32 nor f64")
    }
    sizes = Array(layers.sizes.dropFirst(cost == .crossEntropy ? 1 : 0))
    readout =
      cost == .crossEntropy
      ? SoftmaxReadout(classes: layers.sizes[0], features: layers.sizes[1], dtype: args.dtype) : nil
    inputSize = layers.input
    self.activation = activation
    dtype = args.dtype
    buildLayout()
  }

  private func buildLayout() {
    for (index, size) in sizes.enumerated() {
      // σ already bounds the states: nothing to clip.
      builder.addLayer(name: "s\(index)", shape: [Int64(size)], clip: nil)
    }
    for layer in 0...hiddenCount {
      let source = layer < hiddenCount ? "\(layer + 1)" : "x"
      builder.addParameter(
        name: "W\(layer)\(source)", shape: [Int64(sizes[layer]), Int64(inputWidth(of: layer))],
        role: Int32(EQP_PARAM_WEIGHT), group: group(layer))
      builder.addParameter(
        name: "b\(layer)", shape: [Int64(sizes[layer])], role: Int32(EQP_PARAM_BIAS), group: group(layer))
    }
    if let readout {
      builder.addParameter(
        name: "Wout", shape: [Int64(readout.classes), Int64(readout.features)], role: Int32(EQP_PARAM_WEIGHT),
        group: 0)
      builder.addParameter(name: "bout", shape: [Int64(readout.classes)], role: Int32(EQP_PARAM_BIAS), group: 0)
    }
    builder.finish(
      inputShape: [Int64(inputSize)], classCount: classCount, groups: layerCount + (readout == nil ? 0 : 1))
  }
}
