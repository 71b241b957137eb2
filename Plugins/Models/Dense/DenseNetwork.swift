@preconcurrency import CEqprop
import EqpropPluginSDK

/// A configured layered network of the prototypical setting (spec §2.2): sizes, activation,
/// and the layout it declares to the host.
///
/// Layers are indexed from the output: `sizes[0]` is the output, `sizes[N]` the hidden layer
/// next to the input, `inputSize` the input. Parameters, in order, are
/// `W01, b0, W12, b1, …, W{N}x, b{N}`; `W_{i,i+1}` is `sizes[i] × sizes[i+1]` and shares
/// learning-rate group i with `b_i` (spec §3: output → input).
final class DenseNetwork {
  let sizes: [Int]
  let inputSize: Int
  let activation: Int32
  let dtype: UInt32
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
    let layers = try options.ints("layers")
    guard layers.count >= 2 else {
      throw PluginError(
        .invalidArgument,
        "model.layers: \(layers) has \(layers.count) entries; give at least the output and "
          + "input sizes, output first (e.g. [10, 512, 784])")
    }
    let activation = try options.choice("activation", as: Activation.self).code
    guard args.dtype == UInt32(EQP_DTYPE_F32) || args.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginError(.unsupported, "dense: dtype \(args.dtype) is neither f32 nor f64")
    }
    sizes = layers.dropLast().map { Int($0) }
    inputSize = Int(layers[layers.count - 1])
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
        role: Int32(EQP_PARAM_WEIGHT), group: layer)
      builder.addParameter(name: "b\(layer)", shape: [Int64(sizes[layer])], role: Int32(EQP_PARAM_BIAS), group: layer)
    }
    builder.finish(inputShape: [Int64(inputSize)], classCount: sizes[0], groups: layerCount)
  }
}
