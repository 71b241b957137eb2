@preconcurrency import CEqprop
import EqpropPluginSDK

/// The cost ℓ = k·‖s_0 − y‖², k = ½ (half_squared) or 1 (squared, spec pitfall 4).
extension HopfieldNetwork {
  /// per_example[b] = ℓ(s_0, y) for example b.
  func cost(_ ev: HopfieldEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let width = sizes[0]
    let residual = ev.workspace.residual.tensors[0].baseAddress
    try kernel.copy(count: ev.batch * width, from: ev.state(0), to: residual)
    try kernel.axpby(count: ev.batch * width, alpha: -1, x: ev.target, beta: 1, y: residual)
    for row in 0..<ev.batch { perExample[row] = 0 }
    try kernel.rowDots(
      rows: ev.batch, cols: width, alpha: settings.cost.scale, x: residual, y: residual,
      into: perExample)
  }

  /// grad_states[0] += coeff·2k·(s_0 − y); ℓ does not depend on θ or on the hidden layers.
  func costGrad(
    _ ev: HopfieldEval, coeff: Double, gradStates: UnsafePointer<EQP_Tensor>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    try ev.checkLikeStates(gradStates, "cost_grad grad_states")
    let count = ev.batch * sizes[0]
    let scale = 2 * settings.cost.scale * coeff
    let output = gradStates[0].baseAddress
    try kernel.axpby(count: count, alpha: scale, x: ev.state(0), beta: 1, y: output)
    try kernel.axpby(count: count, alpha: -scale, x: ev.target, beta: 1, y: output)
  }
}
