@preconcurrency import CEqprop

/// A created model instance and what it declared (behind `EQP_ModelHandle *`).
public final class ModelBinding {
  /// One state layer as the model declared it.
  public struct Layer: Sendable {
    public var name: String
    public var shape: [Int64]
    public var perExample: Int
    /// The range a dynamics clips the layer's units to (EQP_CLIP_RANGE), if it declares one.
    public var clipRange: ClosedRange<Double>?
  }

  /// One parameter tensor as the model declared it.
  public struct Parameter: Sendable {
    public var name: String
    public var shape: [Int64]
    public var learningRateGroup: Int
    /// `EQP_PARAM_WEIGHT`, `_BIAS` or `_FEEDBACK`.
    public var role: UInt32
  }

  public let plugin: PluginRecord
  public let dtype: UInt32
  public let layers: [Layer]
  public let parameters: [Parameter]
  public let inputShape: [Int64]
  public let classCount: Int
  /// This instance's capability bits (the layout's, else the descriptor's).
  public let capabilities: UInt64
  let vtable: EQP_ModelVTable
  let instance: OpaquePointer
  /// The layout as the model filled it (host-sized struct), at a stable address for as long
  /// as this binding lives: dynamics and learners may keep the pointer.
  let layout: UnsafeMutablePointer<EQP_ModelLayout>
  let options: PluginOptions
  private var workspaces: [Int: OpaquePointer] = [:]

  init(_ section: RunConfig.PluginSection, dtype: UInt32) throws(PluginFailure) {
    guard case .model(let vtable) = section.plugin.vtable else {
      throw PluginFailure("\(section.plugin.id) is not a model")
    }
    plugin = section.plugin
    self.vtable = vtable
    self.dtype = dtype
    options = try PluginCall.options(section, path: "model")
    var args = EQP_ModelCreateArgs()
    args.struct_size = Int(EQP_ModelCreateArgs_STRUCT_SIZE)
    args.options = options.pointer
    args.dtype = dtype
    args.device_type = Int32(EQP_DEVICE_CPU)
    let sink = ErrorSink()
    let created = try PluginCall.created(plugin, sink) { vtable.create(&args, &$0, sink.pointer) }
    instance = created
    var layout = EQP_ModelLayout()
    layout.struct_size = Int(EQP_ModelLayout_STRUCT_SIZE)
    let status = vtable.describe(created, &layout, sink.pointer)
    do throws(PluginFailure) {
      try PluginCall.check(status, sink, plugin, "describe")
      (layers, parameters, inputShape) = try Self.read(layout, plugin)
      guard layout.capabilities & ~plugin.capabilities == 0 else {
        throw PluginCall.failure(
          plugin, "describe",
          "the instance claims capabilities 0x\(String(layout.capabilities, radix: 16)) beyond "
            + "the descriptor's 0x\(String(plugin.capabilities, radix: 16))")
      }
    } catch {
      vtable.destroy(created)
      throw error
    }
    self.layout = .allocate(capacity: 1)
    self.layout.initialize(to: layout)
    classCount = Int(layout.class_count)
    capabilities = layout.capabilities == 0 ? plugin.capabilities : layout.capabilities
  }

  deinit {
    for workspace in workspaces.values { vtable.workspace_destroy(instance, workspace) }
    vtable.destroy(instance)
    layout.deallocate()
  }

  var pointer: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

  static func from(_ pointer: OpaquePointer) -> ModelBinding {
    Unmanaged<ModelBinding>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  /// The model's workspace for a batch size, made on first use and kept.
  func workspace(batch: Int) throws(PluginFailure) -> OpaquePointer {
    if let existing = workspaces[batch] { return existing }
    var made: OpaquePointer?
    let sink = ErrorSink()
    try PluginCall.check(
      vtable.workspace_create(instance, Int64(batch), dtype, &made, sink.pointer), sink, plugin,
      "workspace_create")
    guard let made else { throw PluginCall.failure(plugin, "workspace_create", "returned no workspace") }
    workspaces[batch] = made
    return made
  }

  /// Shapes of θ, for allocation.
  var parameterShapes: [[Int64]] { parameters.map(\.shape) }

  /// Shapes of the states for a batch.
  func stateShapes(batch: Int) -> [[Int64]] { layers.map { [Int64(batch)] + $0.shape } }

  private static func read(_ layout: EQP_ModelLayout, _ plugin: PluginRecord) throws(PluginFailure)
    -> ([Layer], [Parameter], [Int64])
  {
    func bad(_ reason: String) -> PluginFailure { PluginCall.failure(plugin, "describe", reason) }
    guard layout.layer_count >= 1, layout.layer_count <= 1024, let layerArray = layout.layers else {
      throw bad("layer_count is \(layout.layer_count) or layers is NULL; expected 1 to 1024 layers")
    }
    var layers: [Layer] = []
    for index in 0..<layout.layer_count {
      guard let pointer = layerArray[index] else { throw bad("layers[\(index)] is NULL") }
      let raw = ForeignStruct<EQP_LayerSpec>(UnsafeRawPointer(pointer))
      guard raw.size >= Int(EQP_LayerSpec_STRUCT_SIZE) else { throw bad("layers[\(index)].struct_size is \(raw.size)") }
      let spec = raw.zeroExtendedCopy(EQP_LayerSpec())
      let shape = try shapeOf(spec.ndim, spec.shape, "layers[\(index)]", bad)
      let clipped = spec.clip == UInt32(EQP_CLIP_RANGE)
      guard !clipped || spec.lower <= spec.upper else {
        throw bad("layers[\(index)] clips to [\(spec.lower), \(spec.upper)], an empty range")
      }
      layers.append(
        Layer(
          name: spec.name.map { String(cString: $0) } ?? "s\(index)", shape: shape,
          perExample: shape.reduce(1) { $0 * Int($1) },
          clipRange: clipped ? spec.lower...spec.upper : nil))
    }
    guard layout.param_count <= 4096, layout.param_count == 0 || layout.params != nil else {
      throw bad("param_count is \(layout.param_count) but params is NULL")
    }
    var parameters: [Parameter] = []
    for index in 0..<layout.param_count {
      guard let pointer = layout.params?[index] else { throw bad("params[\(index)] is NULL") }
      let raw = ForeignStruct<EQP_ParamSpec>(UnsafeRawPointer(pointer))
      guard raw.size >= Int(EQP_ParamSpec_STRUCT_SIZE) else { throw bad("params[\(index)].struct_size is \(raw.size)") }
      let spec = raw.zeroExtendedCopy(EQP_ParamSpec())
      guard let name = spec.name.map({ String(cString: $0) }), !name.isEmpty else {
        throw bad("params[\(index)].name is NULL")
      }
      parameters.append(
        Parameter(
          name: name, shape: try shapeOf(spec.ndim, spec.shape, "params[\(index)]", bad),
          learningRateGroup: Int(spec.lr_group), role: spec.role))
    }
    let names = parameters.map(\.name)
    if Set(names).count != names.count { throw bad("parameter names are not unique: \(names)") }
    // The optimizer sizes its rate list by the groups the parameters use; the count must agree.
    let groups = (parameters.map(\.learningRateGroup).max() ?? -1) + 1
    guard parameters.isEmpty || Int(layout.lr_group_count) == groups else {
      throw bad(
        "lr_group_count is \(layout.lr_group_count), but the largest lr_group of the "
          + "parameters is \(groups - 1) (expected \(groups))")
    }
    let input = try shapeOf(layout.input_ndim, layout.input_shape, "input_shape", bad)
    guard (1...maxExtent).contains(layout.class_count) else {
      throw bad("class_count is \(layout.class_count); expected 1 to 2^31")
    }
    return (layers, parameters, input)
  }

  /// The largest extent of one dimension.
  private static let maxExtent: Int64 = 1 << 31
  /// The most elements one tensor may hold (per example for states and input): 8 TiB in f64,
  /// so byte sizes, and a batch of them, cannot overflow an Int before an allocation fails.
  private static let maxElements = 1 << 40

  private static func shapeOf(
    _ ndim: Int32, _ shape: UnsafePointer<Int64>?, _ what: String, _ bad: (String) -> PluginFailure
  ) throws(PluginFailure) -> [Int64] {
    guard (0...8).contains(ndim), ndim == 0 || shape != nil else {
      throw bad("\(what) has ndim \(ndim); expected 0 to 8, with a shape array unless 0")
    }
    let extents = (0..<Int(ndim)).map { shape?[$0] ?? 0 }
    guard extents.allSatisfy({ (1...maxExtent).contains($0) }) else {
      throw bad("\(what) has shape \(extents); every extent must be 1 to 2^31")
    }
    var elements = 1
    for extent in extents {
      let (product, overflow) = elements.multipliedReportingOverflow(by: Int(extent))
      guard !overflow, product <= maxElements else {
        throw bad("\(what) has shape \(extents), more than 2^40 elements")
      }
      elements = product
    }
    return extents
  }
}

/// Turning a plugin call's status into a `PluginFailure` that names the plugin and call.
enum PluginCall {
  static func check(
    _ status: EQP_Status, _ sink: ErrorSink, _ plugin: PluginRecord, _ call: String
  ) throws(PluginFailure) {
    guard status != EQP_Status(EQP_OK) else { return }
    throw failure(plugin, call, sink.describe(status))
  }

  /// Initialises the plugin's library (once) and wraps its resolved options for `create`.
  static func options(_ section: RunConfig.PluginSection, path: String) throws(PluginFailure)
    -> PluginOptions
  {
    try section.plugin.initializeLibrary()
    return PluginOptions(values: section.options, path: path)
  }

  /// Runs a vtable's `create` and returns the instance it made, or the failure naming it.
  static func created(
    _ plugin: PluginRecord, _ sink: ErrorSink, _ create: (inout OpaquePointer?) -> EQP_Status
  ) throws(PluginFailure) -> OpaquePointer {
    var instance: OpaquePointer?
    try check(create(&instance), sink, plugin, "create")
    guard let instance else { throw failure(plugin, "create", "returned no instance") }
    return instance
  }

  static func failure(_ plugin: PluginRecord, _ call: String, _ reason: String) -> PluginFailure {
    PluginFailure("\(plugin.kind.name) '\(plugin.id)' (\(plugin.file)): \(call) failed: \(reason)")
  }
}
