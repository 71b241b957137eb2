@preconcurrency import CEqprop
import EqpropPluginSDK

/// The dense model's view of an `EQP_ModelEval`, checked by the SDK against its layout.
typealias DenseEval = ModelEvalView<DenseWorkspace>

extension DenseWorkspace: BatchWorkspace {}

extension DenseNetwork {
  /// Checks the eval of `call` ("dense.drive": a literal, so the step loop builds no string)
  /// once; the math then uses raw addresses.
  func eval(
    _ pointer: UnsafePointer<EQP_ModelEval>?, _ call: String, needsStates: Bool = true,
    needsTarget: Bool = false
  ) throws(PluginError) -> DenseEval {
    try DenseEval(
      pointer, layout: layout, dtype: dtype, call: call, needsStates: needsStates,
      needsTarget: needsTarget)
  }
}
