@preconcurrency import CEqprop
import EqpropPluginSDK

/// The vtable's entry points: each checks its eval against the layout once, then runs the
/// math on raw addresses.
extension DenseNetwork: ModelNetwork {
  var pluginID: String { "dense" }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try DenseWorkspace(network: self, batch: batch, err: err)
  }

  func prepare(_ ev: UnsafePointer<EQP_ModelEval>?, _ kernel: KernelCalls) throws(PluginError) {
    try prepare(eval(ev, "dense.prepare", needsStates: false), kernel)
  }

  func drive(_ ev: UnsafePointer<EQP_ModelEval>?, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try drive(eval(ev, "dense.drive"), out: out, kernel)
  }

  func paramGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try paramGrad(eval(ev, "dense.param_grad"), coeff: coeff, grads: grads, kernel)
  }

  /// ℓ = ½‖s_0 − y‖², or the readout's cross-entropy, per example.
  func cost(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let view = try eval(ev, "dense.cost", needsTarget: true)
    if let readout {
      let logits = try readoutLogits(readout, view, kernel)
      return try readout.cost(batch: view.batch, logits: logits, target: view.target, perExample: perExample)
    }
    try SquaredError().cost(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target,
      residual: view.workspace.residual.tensors[0].baseAddress, perExample: perExample, kernel)
  }

  func costGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    let view = try eval(ev, "dense.cost_grad", needsTarget: true)
    try view.checkLikeStates(gradStates, "cost_grad grad_states")
    if let readout {
      if let gradParams { try view.checkLikeParams(gradParams, "cost_grad grad_params") }
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
  func predict(_ ev: UnsafePointer<EQP_ModelEval>?, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let view = try eval(ev, "dense.predict")
    try view.check(scores.pointee, count: view.batch * classCount, "predict scores")
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

  func vjp(
    _ ev: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try vjp(eval(ev, "dense.vjp"), cotOut: cotOut, cotStates: cotStates, cotParams: cotParams, kernel)
  }

  func phi(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try phi(eval(ev, "dense.phi"), perExample: perExample, kernel)
  }
}
