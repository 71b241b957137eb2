@preconcurrency import CEqprop
import EqpropPluginSDK

/// The vtable's entry points: each checks its eval against the layout once, then runs the
/// math on raw addresses.
extension HopfieldNetwork: ModelNetwork {
  var pluginID: String { "hopfield" }

  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject {
    try HopfieldWorkspace(network: self, batch: batch, err: err)
  }

  func prepare(_ ev: UnsafePointer<EQP_ModelEval>?, _ kernel: KernelCalls) throws(PluginError) {
    try prepare(eval(ev, "hopfield.prepare", needsStates: false), kernel)
  }

  func drive(_ ev: UnsafePointer<EQP_ModelEval>?, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try drive(eval(ev, "hopfield.drive"), out: out, kernel)
  }

  func paramGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try paramGrad(eval(ev, "hopfield.param_grad"), coeff: coeff, grads: grads, kernel)
  }

  /// ℓ = k·‖s_0 − y‖², k from the `cost` option (spec pitfall 4).
  func cost(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let view = try eval(ev, "hopfield.cost", needsTarget: true)
    try SquaredError(scale: settings.cost.scale).cost(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target,
      residual: view.workspace.residual.tensors[0].baseAddress, perExample: perExample, kernel)
  }

  /// ℓ does not depend on θ: grad_params, when given, receives nothing.
  func costGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    let view = try eval(ev, "hopfield.cost_grad", needsTarget: true)
    try view.checkLikeStates(gradStates, "cost_grad grad_states")
    try SquaredError(scale: settings.cost.scale).accumulateGradient(
      batch: view.batch, width: sizes[0], output: view.state(0), target: view.target, coeff: coeff,
      into: gradStates[0].baseAddress, kernel)
  }

  func predict(_ ev: UnsafePointer<EQP_ModelEval>?, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try predict(eval(ev, "hopfield.predict"), scores: scores, kernel)
  }

  func vjp(
    _ ev: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try vjp(eval(ev, "hopfield.vjp"), cotOut: cotOut, cotStates: cotStates, cotParams: cotParams, kernel)
  }

  func phi(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try phi(eval(ev, "hopfield.phi"), perExample: perExample, kernel)
  }
}
