@preconcurrency import CEqprop
import EqpropPluginSDK

/// An `EQP_ModelEval` checked against the network once per call: tensor counts, dtypes and
/// element counts, so the math below can use raw addresses without re-checking.
struct DenseEval {
  let batch: Int
  let workspace: DenseWorkspace
  private let params: UnsafePointer<EQP_Tensor>
  private let states: UnsafePointer<EQP_Tensor>?
  private let inputTensor: EQP_Tensor?
  private let targetTensor: EQP_Tensor?

  init(
    _ pointer: UnsafePointer<EQP_ModelEval>?, network: DenseNetwork, needsStates: Bool = true,
    needsTarget: Bool = false, call: String
  ) throws(PluginError) {
    guard let ev = pointer?.pointee else {
      throw PluginError(.invalidArgument, "dense.\(call): eval is NULL")
    }
    guard let workspaceHandle = ev.workspace,
      let workspace = InstanceBox.object(workspaceHandle, as: DenseWorkspace.self)
    else { throw PluginError(.invalidArgument, "dense.\(call): eval.workspace is NULL") }
    guard Int(ev.batch) == workspace.batch else {
      throw PluginError(
        .invalidArgument,
        "dense.\(call): eval.batch is \(ev.batch) but the workspace was made for \(workspace.batch)")
    }
    let batch = workspace.batch
    guard let params = ev.params, ev.param_count == 2 * network.layerCount else {
      throw PluginError(
        .invalidArgument,
        "dense.\(call): \(ev.param_count) parameter tensors given, expected \(2 * network.layerCount)")
    }
    for layer in 0..<network.layerCount {
      try Self.expect(params[network.weightIndex(layer)], network.sizes[layer] * network.inputWidth(of: layer), network, "\(call): θ W of layer \(layer)")
      try Self.expect(params[network.biasIndex(layer)], network.sizes[layer], network, "\(call): θ b\(layer)")
    }
    if needsStates {
      guard let states = ev.states, ev.layer_count == network.layerCount else {
        throw PluginError(
          .invalidArgument,
          "dense.\(call): \(ev.layer_count) state tensors given, expected \(network.layerCount)")
      }
      for layer in 0..<network.layerCount {
        try Self.expect(states[layer], batch * network.sizes[layer], network, "\(call): state s\(layer)")
      }
    }
    guard let input = ev.input?.pointee else {
      throw PluginError(.invalidArgument, "dense.\(call): eval.input is NULL")
    }
    try Self.expect(input, batch * network.inputSize, network, "\(call): input x")
    if needsTarget {
      guard let target = ev.target?.pointee else {
        throw PluginError(.invalidArgument, "dense.\(call): eval.target is NULL")
      }
      try Self.expect(target, batch * network.sizes[0], network, "\(call): target y")
    }
    self.batch = batch
    self.workspace = workspace
    self.params = params
    self.states = ev.states
    self.inputTensor = input
    self.targetTensor = ev.target?.pointee
  }

  /// `what` is built only on failure: this runs at every step.
  private static func expect(
    _ tensor: EQP_Tensor, _ count: Int, _ network: DenseNetwork, _ what: @autoclosure () -> String
  ) throws(PluginError) {
    guard tensor.dtype == network.dtype, tensor.strides == nil, tensor.baseAddress != nil else {
      throw PluginError(
        .invalidArgument, "dense.\(what()): must be a contiguous tensor of dtype \(network.dtype)")
    }
    guard tensor.elementCount == count else {
      throw PluginError(
        .invalidArgument, "dense.\(what()): has \(tensor.elementCount) elements, expected \(count)")
    }
  }

  // The initialiser checked every address below is non-NULL.
  func state(_ layer: Int) -> UnsafeMutableRawPointer? { states?[layer].baseAddress }
  func param(_ index: Int) -> UnsafeMutableRawPointer? { params[index].baseAddress }
  var input: UnsafeMutableRawPointer? { inputTensor?.baseAddress }
  var target: UnsafeMutableRawPointer? { targetTensor?.baseAddress }
}
