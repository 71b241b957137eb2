@preconcurrency import CEqprop
import EqpropPluginSDK

/// The conv model's view of an `EQP_ModelEval`, checked by the SDK against its layout.
typealias ConvEval = ModelEvalView<ConvWorkspace>

extension ConvNetwork {
  /// Checks the eval of `call` ("drive": a literal, so the step loop builds no string)
  /// once; the math then uses raw addresses.
  func eval(
    _ pointer: UnsafePointer<EQP_ModelEval>?, _ call: StaticString, needsStates: Bool = true,
    needsTarget: Bool = false, needsPrepared: Bool = true
  ) throws(PluginError) -> ConvEval {
    let ev = try ConvEval(
      pointer, layout: layout, dtype: dtype, plugin: pluginID, call: call, needsStates: needsStates,
      needsTarget: needsTarget)
    guard ev.workspace.prepared || !needsPrepared else {
      throw PluginError(.invalidArgument, "conv.\(call): the workspace was not prepared for this batch")
    }
    return ev
  }

  /// State l of the network (0 = the output, absent with a readout) in the eval's states.
  func state(_ l: Int, _ ev: ConvEval) -> UnsafeMutableRawPointer? { ev.state(slot(l)) }

  /// Where state l sits among the eval's tensors: the readout's s_0 is not a state.
  func slot(_ l: Int) -> Int { l - first }

  /// What C_k convolves: s_{k+1}, or the input x for the last layer.
  func source(_ k: Int, _ ev: ConvEval) -> UnsafeMutableRawPointer? {
    k < depth ? state(k + 1, ev) : ev.input
  }
}
