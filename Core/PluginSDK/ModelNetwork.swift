@preconcurrency import CEqprop

/// What a model plugin's network implements; `ModelGlue` turns it into the C vtable, so no
/// plugin repeats the unboxing, NULL checks and status mapping.
///
/// Every call gets the raw eval (check it with a `ModelEvalView`) and the kernel of the
/// network's dtype. Optional calls throw `.unsupported` unless the network overrides them and
/// its descriptor sets the capability bit.
public protocol ModelNetwork: AnyObject {
  /// The plugin id, for messages ("dense.drive: …").
  var pluginID: String { get }
  var layout: EQP_ModelLayout { get }
  var dtype: UInt32 { get }
  func initParams(
    _ params: UnsafeMutablePointer<EQP_Tensor>, count: Int, rng: OpaquePointer?, err: OpaquePointer?
  ) throws(PluginError)
  /// Scratch memory for one batch size, released by the glue.
  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject
  func prepare(_ ev: UnsafePointer<EQP_ModelEval>?, _ kernel: KernelCalls) throws(PluginError)
  func drive(_ ev: UnsafePointer<EQP_ModelEval>?, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  func paramGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls) throws(PluginError)
  func cost(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  func costGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls) throws(PluginError)
  func predict(_ ev: UnsafePointer<EQP_ModelEval>?, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  func vjp(
    _ ev: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?,
    _ kernel: KernelCalls) throws(PluginError)
  func phi(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  func stepUpdate(
    _ ev: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>, coeff: Double,
    grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError)
  func applyStep(
    _ ev: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError)
}

extension ModelNetwork {
  public func vjp(
    _ ev: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    throw PluginError(.unsupported, "\(pluginID).vjp is not implemented")
  }

  public func phi(_ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    throw PluginError(.unsupported, "\(pluginID).phi is not implemented")
  }

  public func stepUpdate(
    _ ev: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>, coeff: Double,
    grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    throw PluginError(.unsupported, "\(pluginID).step_update is not implemented")
  }

  public func applyStep(
    _ ev: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    throw PluginError(.unsupported, "\(pluginID).apply_step is not implemented")
  }
}
