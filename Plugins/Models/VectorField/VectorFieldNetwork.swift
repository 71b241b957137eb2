@preconcurrency import CEqprop
import EqpropPluginSDK

/// A configured vector-field network (spec §2.3) and the layout it declares.
///
/// Layers are indexed from the output: `sizes[0]` is the output, `sizes[N]` (N = `top`) the
/// layer next to the input. Parameters, in order: `W01, b0, …, W{N}x, b{N}` as `dense`, then
/// (unless tied) the feedback matrices `B10, B21, …, B{N}{N−1}`; `B_{i+1,i}` is
/// `sizes[i+1] × sizes[i]` and shares learning-rate group i with `W_{i,i+1}` (spec §3).
final class VectorFieldNetwork {
  let settings: VectorFieldSettings
  let sizes: [Int]
  let inputSize: Int
  let dtype: UInt32
  private let builder = LayoutBuilder()
  var layout: EQP_ModelLayout { builder.layout }

  var top: Int { sizes.count - 1 }
  var layerCount: Int { sizes.count }
  func weightIndex(_ layer: Int) -> Int { 2 * layer }
  func biasIndex(_ layer: Int) -> Int { 2 * layer + 1 }
  /// Parameter index of B_{i+1,i}, the feedback from layer i into layer i + 1 (untied only).
  func feedbackIndex(_ layer: Int) -> Int { 2 * layerCount + layer }
  var parameterCount: Int { 2 * layerCount + (settings.tied ? 0 : top) }
  func inputWidth(of layer: Int) -> Int { layer < top ? sizes[layer + 1] : inputSize }
  var continuous: Bool { settings.form == .continuous }

  init(_ args: EQP_ModelCreateArgs, err: OpaquePointer?) throws(PluginError) {
    guard args.dtype == UInt32(EQP_DTYPE_F32) || args.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginError(.unsupported, "vf: dtype \(args.dtype) is neither f32 nor f64")
    }
    settings = try VectorFieldSettings(OptionReader(args.options, err: err))
    sizes = settings.sizes
    inputSize = settings.inputSize
    dtype = args.dtype
    buildLayout()
  }

  private func buildLayout() {
    // VFcont clips every layer to [0, 1] unless --no-clamp; σ bounds VFdisc already.
    let range: (lower: Double, upper: Double)? = continuous && settings.clamp ? (0, 1) : nil
    for (index, size) in sizes.enumerated() {
      builder.addLayer(name: "s\(index)", shape: [Int64(size)], clip: range)
    }
    for layer in 0...top {
      let source = layer < top ? "\(layer + 1)" : "x"
      builder.addParameter(
        name: "W\(layer)\(source)", shape: [Int64(sizes[layer]), Int64(inputWidth(of: layer))],
        role: Int32(EQP_PARAM_WEIGHT), group: layer)
      builder.addParameter(
        name: "b\(layer)", shape: [Int64(sizes[layer])], role: Int32(EQP_PARAM_BIAS), group: layer)
    }
    if !settings.tied {
      for layer in 0..<top {
        builder.addParameter(
          name: "B\(layer + 1)\(layer)", shape: [Int64(sizes[layer + 1]), Int64(sizes[layer])],
          role: Int32(EQP_PARAM_FEEDBACK), group: layer)
      }
    }
    // Tied, the network is the prototypical one and its step rule is EP's, Φ_θ's increment
    // through param_grad: the host applies that itself (apply_step implements the vector-field
    // rule only).
    let ownRule = UInt64(EQP_MODEL_CAP_STEP_UPDATE | EQP_MODEL_CAP_APPLY_STEP)
    builder.finish(
      inputShape: [Int64(inputSize)], classCount: sizes[0], groups: layerCount,
      capabilities: VectorFieldModel.capabilities & ~ownRule | (settings.tied ? 0 : ownRule))
  }
}

typealias VectorFieldEval = ModelEvalView<VectorFieldWorkspace>
