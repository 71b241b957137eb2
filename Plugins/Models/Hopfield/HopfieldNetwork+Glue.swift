@preconcurrency import CEqprop
import EqpropPluginSDK

/// The entry points the SDK does not derive: the workspace and the cost.
extension HopfieldNetwork: ViewModelNetwork {
  var pluginID: String { "hopfield" }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try HopfieldWorkspace(network: self, batch: batch, err: err)
  }

  /// ℓ = k·‖s_0 − y‖², k from the `cost` option (spec pitfall 4).
  func cost(_ view: HopfieldEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try SquaredError(scale: settings.cost.scale).cost(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target,
      residual: view.workspace.residual.tensors[0].baseAddress, perExample: perExample, kernel)
  }

  /// ℓ does not depend on θ: grad_params, when given, receives nothing.
  func costGrad(
    _ view: HopfieldEval, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try SquaredError(scale: settings.cost.scale).accumulateGradient(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target, coeff: coeff,
      into: gradStates[0].baseAddress, kernel)
  }
}
