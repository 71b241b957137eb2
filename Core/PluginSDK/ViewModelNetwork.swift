@preconcurrency import CEqprop

/// A model whose math works on its own checked view of the eval: the raw entry points of
/// `ModelNetwork` come from here, each checking the eval once against the layout, so a model
/// writes no forwarding code. vjp, phi, step_update and apply_step are optional: their
/// defaults refuse.
public protocol ViewModelNetwork: ModelNetwork {
  associatedtype Workspace: BatchWorkspace
  typealias View = ModelEvalView<Workspace>

  func prepare(_ view: View, _ kernel: KernelCalls) throws(PluginError)
  func drive(_ view: View, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError)
  func paramGrad(_ view: View, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  func cost(_ view: View, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls) throws(PluginError)
  func costGrad(
    _ view: View, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls) throws(PluginError)
  func predict(_ view: View, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError)
  func vjp(
    _ view: View, cotOut: UnsafePointer<EQP_Tensor>, cotStates: UnsafeMutablePointer<EQP_Tensor>,
    cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls) throws(PluginError)
  func phi(_ view: View, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls) throws(PluginError)
  func stepUpdate(
    _ view: View, after: UnsafePointer<EQP_Tensor>, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls) throws(PluginError)
  /// θ += rates·Δθ(s_t → s_{t+1}) in place, the workspace's cached terms kept in step with θ.
  /// `after` is checked like the states, `params` to be the eval's own θ.
  func applyStep(
    _ view: View, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError)
}

extension ViewModelNetwork {
  /// The eval of `call` checked against the layout.
  public func view(
    _ ev: UnsafePointer<EQP_ModelEval>?, _ call: StaticString, needsStates: Bool = true, needsTarget: Bool = false
  ) throws(PluginError) -> View {
    try View(
      ev, layout: layout, dtype: dtype, plugin: pluginID, call: call, needsStates: needsStates,
      needsTarget: needsTarget)
  }

  public func prepare(_ ev: UnsafePointer<EQP_ModelEval>?, _ kernel: KernelCalls) throws(PluginError) {
    try prepare(view(ev, "prepare", needsStates: false), kernel)
  }

  public func drive(_ ev: UnsafePointer<EQP_ModelEval>?, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try drive(view(ev, "drive"), out: out, kernel)
  }

  public func paramGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try paramGrad(view(ev, "param_grad"), coeff: coeff, grads: grads, kernel)
  }

  public func cost(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try cost(view(ev, "cost", needsTarget: true), perExample: perExample, kernel)
  }

  public func costGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    let checked = try view(ev, "cost_grad", needsTarget: true)
    try checked.checkLikeStates(gradStates, "cost_grad grad_states")
    if let gradParams { try checked.checkLikeParams(gradParams, "cost_grad grad_params") }
    try costGrad(checked, coeff: coeff, gradStates: gradStates, gradParams: gradParams, kernel)
  }

  public func predict(_ ev: UnsafePointer<EQP_ModelEval>?, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let checked = try view(ev, "predict")
    try checked.check(scores.pointee, count: checked.batch * Int(layout.class_count), "predict scores")
    try predict(checked, scores: scores, kernel)
  }

  public func vjp(
    _ ev: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try vjp(view(ev, "vjp"), cotOut: cotOut, cotStates: cotStates, cotParams: cotParams, kernel)
  }

  public func phi(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try phi(view(ev, "phi"), perExample: perExample, kernel)
  }

  public func stepUpdate(
    _ ev: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>, coeff: Double,
    grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try stepUpdate(view(ev, "step_update"), after: after, coeff: coeff, grads: grads, kernel)
  }

  public func applyStep(
    _ ev: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    let checked = try view(ev, "apply_step")
    try checked.checkLikeStates(after, "apply_step after")
    try checked.checkIsParams(params, "apply_step params")
    try applyStep(checked, after: after, rates: rates, params: params, kernel)
  }

  public func vjp(
    _ view: View, cotOut: UnsafePointer<EQP_Tensor>, cotStates: UnsafeMutablePointer<EQP_Tensor>,
    cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    throw PluginError(.unsupported, "\(pluginID).vjp is not implemented")
  }

  public func phi(_ view: View, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls) throws(PluginError) {
    throw PluginError(.unsupported, "\(pluginID).phi is not implemented")
  }

  public func stepUpdate(
    _ view: View, after: UnsafePointer<EQP_Tensor>, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    throw PluginError(.unsupported, "\(pluginID).step_update is not implemented")
  }

  public func applyStep(
    _ view: View, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    throw PluginError(.unsupported, "\(pluginID).apply_step is not implemented")
  }
}
