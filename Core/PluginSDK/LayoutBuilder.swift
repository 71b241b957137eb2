@preconcurrency import CEqprop

/// Builds the `EQP_ModelLayout` a model declares, keeping every array and string it points to
/// alive as long as the builder (own it from the model instance).
public final class LayoutBuilder {
  public private(set) var layout = EQP_ModelLayout()
  private var storage: [UnsafeMutableRawPointer] = []
  private var layers: [UnsafePointer<EQP_LayerSpec>?] = []
  private var params: [UnsafePointer<EQP_ParamSpec>?] = []

  public init() {}

  deinit { for pointer in storage { pointer.deallocate() } }

  /// Adds a state layer (layers are added from the output inward).
  public func addLayer(name: String, shape: [Int64], clip: (lower: Double, upper: Double)?) {
    var spec = EQP_LayerSpec()
    spec.struct_size = Int(EQP_LayerSpec_STRUCT_SIZE)
    spec.name = keepString(name)
    spec.ndim = Int32(shape.count)
    spec.shape = keep(shape)
    spec.clip = UInt32(clip == nil ? EQP_CLIP_NONE : EQP_CLIP_RANGE)
    spec.lower = clip?.lower ?? 0
    spec.upper = clip?.upper ?? 0
    layers.append(keep([spec]))
  }

  /// Adds a parameter tensor in the learning-rate group `group`.
  public func addParameter(name: String, shape: [Int64], role: Int32, group: Int) {
    var spec = EQP_ParamSpec()
    spec.struct_size = Int(EQP_ParamSpec_STRUCT_SIZE)
    spec.name = keepString(name)
    spec.ndim = Int32(shape.count)
    spec.shape = keep(shape)
    spec.role = UInt32(role)
    spec.lr_group = UInt32(group)
    params.append(keep([spec]))
  }

  /// Completes the layout; call once, after every layer and parameter. `capabilities` are
  /// this instance's (0: the descriptor's).
  public func finish(inputShape: [Int64], classCount: Int, groups: Int, capabilities: UInt64 = 0) {
    layout.struct_size = Int(EQP_ModelLayout_STRUCT_SIZE)
    layout.layer_count = layers.count
    layout.layers = keep(layers)
    layout.param_count = params.count
    layout.params = keep(params)
    layout.input_ndim = Int32(inputShape.count)
    layout.input_shape = keep(inputShape)
    layout.lr_group_count = UInt32(groups)
    layout.class_count = Int64(classCount)
    layout.capabilities = capabilities
  }

  private func keep<T>(_ values: [T]) -> UnsafePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
    pointer.initialize(from: values, count: values.count)
    storage.append(UnsafeMutableRawPointer(pointer))
    return UnsafePointer(pointer)
  }

  private func keepString(_ text: String) -> UnsafePointer<CChar> { keep(Array(text.utf8CString)) }
}
