@preconcurrency import CEqprop
import EqpropPluginSDK

/// The entry points the SDK does not derive: the workspace, and the cost, which is the
/// output layer's ½‖s_0 − y‖² or the cross-entropy readout's.
extension DenseNetwork: ViewModelNetwork {
  var pluginID: String { "dense" }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try DenseWorkspace(network: self, batch: batch, err: err)
  }

  func cost(_ view: DenseEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls) throws(PluginError) {
    if let readout {
      let logits = try readoutLogits(readout, view, kernel)
      return try readout.cost(batch: view.batch, logits: logits, target: view.target, perExample: perExample)
    }
    try SquaredError().cost(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target,
      residual: view.workspace.residual.tensors[0].baseAddress, perExample: perExample, kernel)
  }

  func costGrad(
    _ view: DenseEval, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    if let readout {
      let logits = try readoutLogits(readout, view, kernel)
      try readout.residual(batch: view.batch, logits: logits, target: view.target)
      return try readout.accumulateGradient(
        batch: view.batch, state: view.state(0), weight: view.param(readoutWeightIndex), residual: logits,
        coeff: coeff, gradState: gradStates[0].baseAddress, gradWeight: gradParams?[readoutWeightIndex].baseAddress,
        gradBias: gradParams?[readoutBiasIndex].baseAddress, kernel)
    }
    try SquaredError().accumulateGradient(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target, coeff: coeff,
      into: gradStates[0].baseAddress, kernel)
  }

  /// Scores: the output layer, or the readout's logits.
  func predict(_ view: DenseEval, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError) {
    if let readout {
      try readout.logits(
        batch: view.batch, state: view.state(0), weight: view.param(readoutWeightIndex),
        bias: view.param(readoutBiasIndex), into: scores.pointee.baseAddress, kernel)
    } else {
      try kernel.copy(count: view.batch * sizes[0], from: view.state(0), to: scores.pointee.baseAddress)
    }
  }

  /// The readout's logits in the workspace's residual buffer.
  private func readoutLogits(_ readout: SoftmaxReadout, _ view: DenseEval, _ kernel: KernelCalls) throws(PluginError)
    -> UnsafeMutableRawPointer?
  {
    let logits = view.workspace.residual.tensors[0].baseAddress
    try readout.logits(
      batch: view.batch, state: view.state(0), weight: view.param(readoutWeightIndex),
      bias: view.param(readoutBiasIndex), into: logits, kernel)
    return logits
  }
}
