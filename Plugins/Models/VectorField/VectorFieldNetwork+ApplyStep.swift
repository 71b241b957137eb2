@preconcurrency import CEqprop
import EqpropPluginSDK

extension VectorFieldNetwork {
  /// θ_k += rates[k]·Σ_b Δθ_k of one step by the vector-field rule, in place (ABI 1.2): the
  /// terms of step_update, written straight into θ; the cached W_{N,x}u + b_N follows
  /// through the Gram matrix of u, so no prepare is needed.
  func applyStep(
    _ ev: VectorFieldEval, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try requirePrepared(ev, "apply_step")
    try addStepRule(ev, after: after, rate: { rates[$0] }, into: params, kernel)
    try ev.workspace.inputTerm.apply(
      input: input(ev), inputWidth: inputSize, delta: ev.workspace.change.tensors[top].baseAddress,
      width: sizes[top], weightRate: rates[weightIndex(top)],
      biasRate: ruleMovesBias(top) ? rates[biasIndex(top)] : 0,
      term: ev.workspace.projection.tensors[0].baseAddress, kernel)
  }
}
