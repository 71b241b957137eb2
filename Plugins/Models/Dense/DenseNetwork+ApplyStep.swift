@preconcurrency import CEqprop
import EqpropPluginSDK

extension DenseNetwork {
  /// θ_k += rates[k]·(∂Φ/∂θ_k(s_{t+1}) − ∂Φ/∂θ_k(s_t)) summed over the batch, in place (ABI
  /// 1.2): EP's increment, what two param_grad calls give, written with the changes
  /// Δ_l = s'_l − s_l so that no term is computed twice:
  /// s'_l s'_{l+1}ᵀ − s_l s_{l+1}ᵀ = Δ_l s'_{l+1}ᵀ + s_l Δ_{l+1}ᵀ for W_{l,l+1}, Δ_N xᵀ for W_{N,x}
  /// (one product), Σ_b Δ_l for b_l. The cross-entropy readout lies outside Φ and stays. The
  /// cached projection W_{N,x}x + b_N follows through the Gram matrix of x: no prepare.
  func applyStep(
    _ ev: DenseEval, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    guard ev.workspace.prepared else {
      throw PluginError(.invalidArgument, "dense.apply_step: the workspace was not prepared for this batch")
    }
    try ev.stateChange(to: after, into: ev.workspace.change, kernel)
    let delta = ev.workspace.change.tensors
    for layer in 0..<layerCount {
      let weight = params[weightIndex(layer)].baseAddress
      let rate = rates[weightIndex(layer)]
      if layer < hiddenCount {
        let below = sizes[layer + 1]
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer], n: below, alpha: rate, a: delta[layer].baseAddress,
          b: after[layer + 1].baseAddress, c: weight)
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer], n: below, alpha: rate, a: ev.state(layer),
          b: delta[layer + 1].baseAddress, c: weight)
      } else {
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer], n: inputSize, alpha: rate, a: delta[layer].baseAddress, b: ev.input,
          c: weight)
      }
      try kernel.sumRows(
        rows: ev.batch, cols: sizes[layer], alpha: rates[biasIndex(layer)], x: delta[layer].baseAddress, beta: 1,
        v: params[biasIndex(layer)].baseAddress)
    }
    try ev.workspace.inputTerm.apply(
      input: ev.input, inputWidth: inputSize, delta: delta[hiddenCount].baseAddress, width: sizes[hiddenCount],
      weightRate: rates[weightIndex(hiddenCount)], biasRate: rates[biasIndex(hiddenCount)],
      term: ev.workspace.projection.tensors[0].baseAddress, kernel)
  }
}
