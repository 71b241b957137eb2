@preconcurrency import CEqprop
import EqpropPluginSDK

/// A configured layered Hopfield energy model (spec §2.2, EB setting) and the layout it
/// declares to the host.
///
/// Layers are indexed from the output: `sizes[0]` is the output, `sizes[N]` (N = `top`) the
/// layer next to the input. Parameters, in order, are `W01, b0, W12, b1, …, W{N}x, b{N}`;
/// `W_{i,i+1}` is `sizes[i] × sizes[i+1]` and shares learning-rate group i with `b_i`
/// (spec §3: output → input), exactly as `dense` declares them. With `input_to_output`,
/// `W0x, b0x` follow them, in group 0.
final class HopfieldNetwork {
  let settings: HopfieldSettings
  let sizes: [Int]
  let inputSize: Int
  let dtype: UInt32
  /// Keeps the layout's arrays alive as long as this object.
  private let builder = LayoutBuilder()
  var layout: EQP_ModelLayout { builder.layout }

  /// N: index of the layer next to the input.
  var top: Int { sizes.count - 1 }
  var layerCount: Int { sizes.count }
  /// Parameter index of the weight feeding layer i from the input side (i == N: W_{N,x}).
  func weightIndex(_ layer: Int) -> Int { 2 * layer }
  func biasIndex(_ layer: Int) -> Int { 2 * layer + 1 }
  /// Parameter indices of W_0x and b_0x, present with `input_to_output`.
  var skipWeightIndex: Int { 2 * layerCount }
  var skipBiasIndex: Int { 2 * layerCount + 1 }
  var parameterCount: Int { 2 * layerCount + (settings.inputToOutput ? 2 : 0) }
  /// Width of what lies on the input side of layer i: s_{i+1}, or x for the top layer.
  func inputWidth(of layer: Int) -> Int { layer < top ? sizes[layer + 1] : inputSize }
  /// Whether F_i carries the factor ρ'(s_i): every hidden row, the output row when exact.
  func hasSlope(_ layer: Int) -> Bool { layer > 0 || settings.outputRow == .exact }

  init(_ args: EQP_ModelCreateArgs, err: OpaquePointer?) throws(PluginError) {
    guard args.dtype == UInt32(EQP_DTYPE_F32) || args.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginError(.unsupported, "hopfield: dtype \(args.dtype) is neither f32 nor f64")
    }
    settings = try HopfieldSettings(OptionReader(args.options, err: err))
    sizes = settings.sizes
    inputSize = settings.inputSize
    dtype = args.dtype
    buildLayout()
  }

  private func buildLayout() {
    // The papers clip every layer, the output included, to [0, 1] unless --no-clamp.
    let range: (lower: Double, upper: Double)? = settings.clamp ? (0, 1) : nil
    for (index, size) in sizes.enumerated() {
      builder.addLayer(name: "s\(index)", shape: [Int64(size)], clip: range)
    }
    for layer in 0...top {
      let source = layer < top ? "\(layer + 1)" : "x"
      builder.addParameter(
        name: "W\(layer)\(source)", shape: [Int64(sizes[layer]), Int64(inputWidth(of: layer))],
        role: Int32(EQP_PARAM_WEIGHT), group: layer)
      builder.addParameter(
        name: "b\(layer)", shape: [Int64(sizes[layer])], role: Int32(EQP_PARAM_BIAS),
        group: layer)
    }
    if settings.inputToOutput {
      builder.addParameter(
        name: "W0x", shape: [Int64(sizes[0]), Int64(inputSize)], role: Int32(EQP_PARAM_WEIGHT),
        group: 0)
      builder.addParameter(
        name: "b0x", shape: [Int64(sizes[0])], role: Int32(EQP_PARAM_BIAS), group: 0)
    }
    let energy = settings.outputRow == .exact ? UInt64(EQP_MODEL_CAP_ENERGY) : 0
    builder.finish(
      inputShape: [Int64(inputSize)], classCount: sizes[0], groups: layerCount,
      capabilities: HopfieldModel.capabilities & ~UInt64(EQP_MODEL_CAP_ENERGY) | energy)
  }
}

/// An eval checked against a Hopfield network's layout.
typealias HopfieldEval = ModelEvalView<HopfieldWorkspace>
