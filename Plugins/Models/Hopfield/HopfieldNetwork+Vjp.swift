@preconcurrency import CEqprop
import EqpropPluginSDK

extension HopfieldNetwork {
  /// Backward through F for a cotangent g: cot_states = (∂F/∂s)ᵀg (overwritten) and
  /// cot_params (if given) += (∂F/∂θ)ᵀg.
  ///
  /// With δ_i = g_i ⊙ ρ'(s_i) (δ_0 = g_0 on a reference output row),
  /// cot_i = ρ'(s_i) ⊙ (W_{i,i+1}δ_{i+1} + W_{i−1,i}ᵀδ_{i−1}) + g_i ⊙ ρ''(s_i) ⊙ a_i, the last
  /// (self) term only on rows that carry ρ'(s_i); it vanishes for hardsigm but not for the
  /// smooth activations.
  func vjp(
    _ ev: HopfieldEval, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    try requirePrepared(ev, "vjp")
    try ev.checkLikeStates(cotOut, "vjp cot_out")
    try ev.checkLikeStates(cotStates, "vjp cot_states")
    if let cotParams { try ev.checkLikeParams(cotParams, "vjp cot_params") }
    try activateStates(ev, kernel)
    let slope = ev.workspace.slope.tensors
    let delta = ev.workspace.delta.tensors
    for layer in 0..<layerCount {
      let count = ev.batch * sizes[layer]
      let d = delta[layer].baseAddress
      try kernel.activateGrad(
        settings.activation.code, count: count, x: ev.state(layer), y: slope[layer].baseAddress)
      if hasSlope(layer) {
        try kernel.mul(
          count: count, x: cotOut[layer].baseAddress, y: slope[layer].baseAddress, z: d)
      } else {
        try kernel.copy(count: count, from: cotOut[layer].baseAddress, to: d)
      }
    }
    for layer in 0..<layerCount {
      try stateCotangent(layer, into: cotStates[layer].baseAddress, ev, kernel)
    }
    if let cotParams { try accumulateParams(into: cotParams, ev, kernel) }
  }

  /// cot_i from the δ's and slopes already in the workspace.
  private func stateCotangent(
    _ layer: Int, into out: UnsafeMutableRawPointer?, _ ev: HopfieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    let workspace = ev.workspace
    let count = ev.batch * sizes[layer]
    var beta = 0.0
    if layer < top {
      // W_{i,i+1}δ_{i+1} + W_{i−1,i}ᵀδ_{i−1}: the couplings of a_i, applied to the δ's.
      try fromBelow(
        layer, workspace.delta.tensors[layer + 1].baseAddress, beta: 0, into: out, ev, kernel)
      beta = 1
    }
    if layer > 0 {
      try fromAbove(
        layer, workspace.delta.tensors[layer - 1].baseAddress, beta: beta, into: out, ev, kernel)
      beta = 1
    }
    if beta == 0 { try kernel.fill(count: count, value: 0, x: out) }
    try kernel.mul(count: count, x: out, y: workspace.slope.tensors[layer].baseAddress, z: out)
    let curvature = settings.activation.curvature
    guard hasSlope(layer), curvature != (0, 0) else { return }
    // Self term δ_i ⊙ a_i ⊙ (c₀ + c₁ρ(s_i)) = g_i ⊙ ρ''(s_i) ⊙ a_i.
    let term = workspace.scratch.tensors[layer].baseAddress
    try bracket(layer, into: term, ev, kernel)
    try kernel.mul(count: count, x: term, y: workspace.delta.tensors[layer].baseAddress, z: term)
    try kernel.axpby(count: count, alpha: curvature.constant, x: term, beta: 1, y: out)
    try kernel.mul(count: count, x: term, y: workspace.rho.tensors[layer].baseAddress, z: term)
    try kernel.axpby(count: count, alpha: curvature.linear, x: term, beta: 1, y: out)
  }

  /// cot_params += (∂F/∂θ)ᵀg: δ_iρ(s_{i+1})ᵀ + ρ(s_i)δ_{i+1}ᵀ for W_{i,i+1}, δ_Nρ(x)ᵀ for
  /// W_{N,x}, Σ_b δ_i for b_i; δ_0ρ(x)ᵀ and Σ_b δ_0 for W_0x and b_0x.
  private func accumulateParams(
    into cotParams: UnsafePointer<EQP_Tensor>, _ ev: HopfieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    let rho = ev.workspace.rho.tensors
    let delta = ev.workspace.delta.tensors
    for layer in 0..<layerCount {
      let weight = cotParams[weightIndex(layer)].baseAddress
      try kernel.outerAccumulate(
        batch: ev.batch, m: sizes[layer], n: inputWidth(of: layer), alpha: 1,
        a: delta[layer].baseAddress, b: rhoBelow(layer, ev), c: weight)
      if layer < top {
        // W_{i,i+1}ᵀρ(s_i) also drives layer i+1.
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer], n: sizes[layer + 1], alpha: 1,
          a: rho[layer].baseAddress, b: delta[layer + 1].baseAddress, c: weight)
      }
      try kernel.sumRows(
        rows: ev.batch, cols: sizes[layer], alpha: 1, x: delta[layer].baseAddress, beta: 1,
        v: cotParams[biasIndex(layer)].baseAddress)
    }
    if settings.inputToOutput {
      try accumulateOutputInput(delta[0].baseAddress, coeff: 1, into: cotParams, ev, kernel)
    }
  }
}
