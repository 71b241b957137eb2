@preconcurrency import CEqprop
import EqpropPluginSDK

/// The vtable's entry points: each checks its eval against the layout once, then runs the
/// math on raw addresses.
extension VectorFieldNetwork: ModelNetwork {
  var pluginID: String { "vf" }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try VectorFieldWorkspace(network: self, batch: batch, err: err)
  }

  func prepare(_ ev: UnsafePointer<EQP_ModelEval>?, _ kernel: KernelCalls) throws(PluginError) {
    try prepare(eval(ev, "vf.prepare", needsStates: false), kernel)
  }

  func drive(_ ev: UnsafePointer<EQP_ModelEval>?, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try drive(eval(ev, "vf.drive"), out: out, kernel)
  }

  func paramGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try paramGrad(eval(ev, "vf.param_grad"), coeff: coeff, grads: grads, kernel)
  }

  /// ℓ = ½‖s_0 − y‖² per example.
  func cost(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let view = try eval(ev, "vf.cost", needsTarget: true)
    try SquaredError().cost(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target,
      residual: view.workspace.residual.tensors[0].baseAddress, perExample: perExample, kernel)
  }

  func costGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    let view = try eval(ev, "vf.cost_grad", needsTarget: true)
    try view.checkLikeStates(gradStates, "cost_grad grad_states")
    try SquaredError().accumulateGradient(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target, coeff: coeff,
      into: gradStates[0].baseAddress, kernel)
  }

  /// Prediction scores: the output layer itself.
  func predict(_ ev: UnsafePointer<EQP_ModelEval>?, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let view = try eval(ev, "vf.predict")
    try view.check(scores.pointee, count: view.batch * sizes[0], "predict scores")
    try kernel.copy(count: view.batch * sizes[0], from: view.state(0), to: scores.pointee.baseAddress)
  }

  func vjp(
    _ ev: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try vjp(eval(ev, "vf.vjp"), cotOut: cotOut, cotStates: cotStates, cotParams: cotParams, kernel)
  }

  func stepUpdate(
    _ ev: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>, coeff: Double,
    grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try stepUpdate(eval(ev, "vf.step_update"), after: after, coeff: coeff, grads: grads, kernel)
  }
}
