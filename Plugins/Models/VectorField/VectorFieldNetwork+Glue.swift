@preconcurrency import CEqprop
import EqpropPluginSDK

/// The entry points the SDK does not derive: the workspace, the cost and the readout.
extension VectorFieldNetwork: ViewModelNetwork {
  var pluginID: String { "vf" }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try VectorFieldWorkspace(network: self, batch: batch, err: err)
  }

  /// ℓ = ½‖s_0 − y‖² per example.
  func cost(_ view: VectorFieldEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try SquaredError().cost(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target,
      residual: view.workspace.residual.tensors[0].baseAddress, perExample: perExample, kernel)
  }

  func costGrad(
    _ view: VectorFieldEval, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try SquaredError().accumulateGradient(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target, coeff: coeff,
      into: gradStates[0].baseAddress, kernel)
  }

  /// Prediction scores: the output layer itself.
  func predict(_ view: VectorFieldEval, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try kernel.copy(count: view.batch * sizes[0], from: view.state(0), to: scores.pointee.baseAddress)
  }
}
