@preconcurrency import CEqprop

/// A model workspace that knows the batch size it was made for.
public protocol BatchWorkspace: AnyObject {
  /// Examples per batch; every eval that uses the workspace must have this batch.
  var batch: Int { get }
}

/// An `EQP_ModelEval` checked once per call against the model's layout.
///
/// The checks cover tensor counts, dtypes, contiguity and element counts, so the math can use
/// raw addresses without re-checking. They allocate nothing unless they fail: the step loop
/// runs them at every step.
public struct ModelEvalView<Workspace: BatchWorkspace> {
  public let batch: Int
  public let workspace: Workspace
  private let layout: EQP_ModelLayout
  private let dtype: UInt32
  private let plugin: String
  private let callName: StaticString
  /// "plugin.call", built only for a message.
  private var call: String { "\(plugin).\(callName)" }
  private let params: UnsafePointer<EQP_Tensor>
  private let states: UnsafePointer<EQP_Tensor>?
  private let inputTensor: EQP_Tensor
  private let targetTensor: EQP_Tensor?

  /// Checks the eval of `plugin`'s call `call` ("hopfield", "drive": the name is put together
  /// only for a message, so the step loop allocates nothing); `needsStates` and `needsTarget`
  /// say whether the call reads the states and the target.
  public init(
    _ pointer: UnsafePointer<EQP_ModelEval>?, layout: EQP_ModelLayout, dtype: UInt32,
    plugin: String, call: StaticString, needsStates: Bool = true, needsTarget: Bool = false
  ) throws(PluginError) {
    self.plugin = plugin
    callName = call
    let name = { "\(plugin).\(call)" }
    guard let ev = pointer?.pointee else {
      throw PluginError(.invalidArgument, "\(name()): eval is NULL")
    }
    guard let handle = ev.workspace, let workspace = InstanceBox.object(handle, as: Workspace.self)
    else { throw PluginError(.invalidArgument, "\(name()): eval.workspace is NULL") }
    guard Int(ev.batch) == workspace.batch else {
      throw PluginError(
        .invalidArgument,
        "\(name()): eval.batch is \(ev.batch) but the workspace was made for \(workspace.batch)")
    }
    guard let params = ev.params else {
      throw PluginError(.invalidArgument, "\(name()): eval.params is NULL")
    }
    guard let input = ev.input?.pointee else {
      throw PluginError(.invalidArgument, "\(name()): eval.input is NULL")
    }
    batch = workspace.batch
    self.workspace = workspace
    self.layout = layout
    self.dtype = dtype
    self.params = params
    states = ev.states
    inputTensor = input
    targetTensor = ev.target?.pointee
    try checkLikeParams(params, count: ev.param_count, "eval.params")
    if needsStates {
      guard let states = ev.states else {
        throw PluginError(.invalidArgument, "\(name()): eval.states is NULL")
      }
      try checkLikeStates(states, count: ev.layer_count, "eval.states")
    }
    try check(input, count: batch * Self.product(layout.input_ndim, layout.input_shape), "input x")
    if needsTarget {
      guard let target = targetTensor else {
        throw PluginError(.invalidArgument, "\(name()): eval.target is NULL")
      }
      try check(target, count: batch * Int(layout.class_count), "target y")
    }
  }

  /// The address of state layer `layer` (checked non-NULL when the call needs states).
  public func state(_ layer: Int) -> UnsafeMutableRawPointer? { states?[layer].baseAddress }
  /// The address of parameter tensor `index`.
  public func param(_ index: Int) -> UnsafeMutableRawPointer? { params[index].baseAddress }
  /// The address of the input x.
  public var input: UnsafeMutableRawPointer? { inputTensor.baseAddress }
  /// The address of the target y (checked non-NULL when the call needs it).
  public var target: UnsafeMutableRawPointer? { targetTensor?.baseAddress }

  /// Checks an array of tensors shaped like the states (drive's out, cotangents), with
  /// `count` entries when the caller passes a count.
  public func checkLikeStates(
    _ tensors: UnsafePointer<EQP_Tensor>, count: Int? = nil, _ what: @autoclosure () -> String
  ) throws(PluginError) {
    let layerCount = layout.layer_count
    if let count, count != layerCount {
      throw PluginError(
        .invalidArgument, "\(call): \(what()) has \(count) tensors, expected \(layerCount)")
    }
    for layer in 0..<layerCount {
      let spec = layout.layers?[layer]?.pointee
      let perExample = Self.product(spec?.ndim ?? 0, spec?.shape)
      try check(tensors[layer], count: batch * perExample, "\(what())[\(layer)]")
    }
  }

  /// Checks an array of tensors shaped like θ (gradients, cotangents), with `count` entries
  /// when the caller passes a count.
  public func checkLikeParams(
    _ tensors: UnsafePointer<EQP_Tensor>, count: Int? = nil, _ what: @autoclosure () -> String
  ) throws(PluginError) {
    let paramCount = layout.param_count
    if let count, count != paramCount {
      throw PluginError(
        .invalidArgument, "\(call): \(what()) has \(count) tensors, expected \(paramCount)")
    }
    for index in 0..<paramCount {
      let spec = layout.params?[index]?.pointee
      let name = { spec?.name.map { String(cString: $0) } ?? "#\(index)" }
      try check(
        tensors[index], count: Self.product(spec?.ndim ?? 0, spec?.shape), "\(what()) \(name())")
    }
  }

  /// Checks that `tensors` are the eval's own θ (the same data, tensor by tensor): a call that
  /// writes θ in place must write what the rest of the eval reads.
  public func checkIsParams(_ tensors: UnsafePointer<EQP_Tensor>, _ what: @autoclosure () -> String)
    throws(PluginError)
  {
    for index in 0..<layout.param_count where tensors[index].baseAddress != params[index].baseAddress {
      throw PluginError(
        .invalidArgument, "\(call): \(what())[\(index)] is not the tensor eval.params[\(index)] holds")
    }
  }

  /// Checks one tensor: the model's dtype, contiguous, non-NULL, `count` elements.
  public func check(_ tensor: EQP_Tensor, count: Int, _ what: @autoclosure () -> String)
    throws(PluginError)
  {
    guard tensor.dtype == dtype, tensor.strides == nil, tensor.baseAddress != nil else {
      throw PluginError(
        .invalidArgument, "\(call): \(what()) must be a contiguous tensor of dtype \(dtype)")
    }
    guard tensor.elementCount == count else {
      throw PluginError(
        .invalidArgument,
        "\(call): \(what()) has \(tensor.elementCount) elements, expected \(count)")
    }
  }

  private static func product(_ ndim: Int32, _ shape: UnsafePointer<Int64>?) -> Int {
    var count = 1
    for axis in 0..<Int(max(ndim, 0)) { count *= Int(shape?[axis] ?? 0) }
    return count
  }
}
