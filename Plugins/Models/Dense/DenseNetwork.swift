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
  private(set) var layout = EQP_ModelLayout()
  private var storage: [UnsafeMutableRawPointer] = []

  var hiddenCount: Int { sizes.count - 1 }
  var layerCount: Int { sizes.count }
  /// Parameter index of the weight feeding layer i from the input side (i == N: W_{N,x}).
  func weightIndex(_ layer: Int) -> Int { 2 * layer }
  func biasIndex(_ layer: Int) -> Int { 2 * layer + 1 }
  /// Width of the layer on the input side of layer i.
  func inputWidth(of layer: Int) -> Int { layer < hiddenCount ? sizes[layer + 1] : inputSize }

  static let activations: [String: Int32] = [
    "sigm": Int32(EQP_ACT_SIGM), "hardsigm": Int32(EQP_ACT_HARDSIGM),
    "sigmoid": Int32(EQP_ACT_SIGMOID), "tanh": Int32(EQP_ACT_TANH),
    "identity": Int32(EQP_ACT_IDENTITY),
  ]

  init(_ args: EQP_ModelCreateArgs, err: OpaquePointer?) throws(PluginError) {
    let options = OptionReader(args.options, err: err)
    let layers = try options.ints("layers")
    guard layers.count >= 2 else {
      throw PluginError(
        .invalidArgument,
        "model.layers: \(layers) has \(layers.count) entries; give at least the output and "
          + "input sizes, output first (e.g. [10, 512, 784])")
    }
    let name = try options.string("activation")
    guard let activation = Self.activations[name] else {
      throw PluginError(
        .invalidArgument,
        "model.activation: \"\(name)\" is not one of \(Self.activations.keys.sorted().joined(separator: ", "))")
    }
    guard args.dtype == UInt32(EQP_DTYPE_F32) || args.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginError(.unsupported, "dense: dtype \(args.dtype) is neither f32 nor f64")
    }
    sizes = layers.dropLast().map { Int($0) }
    inputSize = Int(layers[layers.count - 1])
    self.activation = activation
    dtype = args.dtype
    buildLayout()
  }

  deinit { for pointer in storage { pointer.deallocate() } }

  private func keep<T>(_ values: [T]) -> UnsafePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
    pointer.initialize(from: values, count: values.count)
    storage.append(UnsafeMutableRawPointer(pointer))
    return UnsafePointer(pointer)
  }

  private func keepString(_ text: String) -> UnsafePointer<CChar> { keep(Array(text.utf8CString)) }

  private func buildLayout() {
    var layers: [UnsafePointer<EQP_LayerSpec>?] = []
    for (index, size) in sizes.enumerated() {
      var spec = EQP_LayerSpec()
      spec.struct_size = Int(EQP_LayerSpec_STRUCT_SIZE)
      spec.name = keepString("s\(index)")
      spec.ndim = 1
      spec.shape = keep([Int64(size)])
      spec.clip = UInt32(EQP_CLIP_NONE)  // σ already bounds the states
      layers.append(keep([spec]))
    }
    var params: [UnsafePointer<EQP_ParamSpec>?] = []
    for layer in 0...hiddenCount {
      let source = layer < hiddenCount ? "\(layer + 1)" : "x"
      for (name, role, shape) in [
        ("W\(layer)\(source)", EQP_PARAM_WEIGHT, [Int64(sizes[layer]), Int64(inputWidth(of: layer))]),
        ("b\(layer)", EQP_PARAM_BIAS, [Int64(sizes[layer])]),
      ] {
        var spec = EQP_ParamSpec()
        spec.struct_size = Int(EQP_ParamSpec_STRUCT_SIZE)
        spec.name = keepString(name)
        spec.ndim = Int32(shape.count)
        spec.shape = keep(shape)
        spec.role = UInt32(role)
        spec.lr_group = UInt32(layer)
        params.append(keep([spec]))
      }
    }
    layout.struct_size = Int(EQP_ModelLayout_STRUCT_SIZE)
    layout.layer_count = layers.count
    layout.layers = keep(layers)
    layout.param_count = params.count
    layout.params = keep(params)
    layout.input_ndim = 1
    layout.input_shape = keep([Int64(inputSize)])
    layout.lr_group_count = UInt32(layerCount)
    layout.class_count = Int64(sizes[0])
  }
}
