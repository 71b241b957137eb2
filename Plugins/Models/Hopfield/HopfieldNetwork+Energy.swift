@preconcurrency import CEqprop
import EqpropPluginSDK

/// The energy E = ½Σ‖s_i‖² − Σρ(s_i)ᵀW_{i,i+1}ρ(s_{i+1}) − ρ(s_N)ᵀW_{N,x}ρ(x) − Σb_iᵀρ(s_i)
/// (spec §2.2), less ρ(s_0)ᵀ(W_0xρ(x) + b_0x) with `input_to_output`, and its θ-gradient;
/// Φ := −E, so Φ_θ = −∂E/∂θ (spec pitfall 17: not ε times it).
extension HopfieldNetwork {
  /// per_example[b] = −E(x_b, s_b). Reads ρ(x) from `prepare` and θ directly, so it stays
  /// exact when θ changes between calls.
  func phi(_ ev: HopfieldEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try requirePrepared(ev, "phi")
    try activateStates(ev, kernel)
    for row in 0..<ev.batch { perExample[row] = 0 }
    let rho = ev.workspace.rho.tensors
    let scratch = ev.workspace.scratch.tensors
    for layer in 0..<layerCount {
      let width = sizes[layer]
      let terms = scratch[layer].baseAddress
      // W_{i,i+1}ρ(s_{i+1}) + b_i, with W_{N,x}ρ(x) + b_N on the top layer.
      try fromBelow(layer, rhoBelow(layer, ev), beta: 0, into: terms, ev, kernel)
      try kernel.addRowVector(
        rows: ev.batch, cols: width, alpha: 1, v: ev.param(biasIndex(layer)), y: terms)
      if layer == 0 && settings.inputToOutput {
        try outputInputTerm(beta: 1, into: terms, ev, kernel)
      }
      try kernel.rowDots(
        rows: ev.batch, cols: width, alpha: 1, x: rho[layer].baseAddress, y: terms,
        into: perExample)
      try kernel.rowDots(
        rows: ev.batch, cols: width, alpha: -0.5, x: ev.state(layer), y: ev.state(layer),
        into: perExample)
    }
  }

  /// grads += coeff·Σ_b(−∂E/∂θ): ρ(s_i)ρ(s_{i+1})ᵀ for W_{i,i+1}, ρ(s_N)ρ(x)ᵀ for W_{N,x},
  /// ρ(s_i) for b_i; ρ(s_0)ρ(x)ᵀ for W_0x and ρ(s_0) for b_0x.
  func paramGrad(
    _ ev: HopfieldEval, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    try requirePrepared(ev, "param_grad")
    try ev.checkLikeParams(grads, "param_grad grads")
    try activateStates(ev, kernel)
    let rho = ev.workspace.rho.tensors
    for layer in 0..<layerCount {
      try kernel.outerAccumulate(
        batch: ev.batch, m: sizes[layer], n: inputWidth(of: layer), alpha: coeff,
        a: rho[layer].baseAddress, b: rhoBelow(layer, ev),
        c: grads[weightIndex(layer)].baseAddress)
      try kernel.sumRows(
        rows: ev.batch, cols: sizes[layer], alpha: coeff, x: rho[layer].baseAddress, beta: 1,
        v: grads[biasIndex(layer)].baseAddress)
    }
    if settings.inputToOutput {
      try accumulateOutputInput(
        ev.workspace.rho.tensors[0].baseAddress, coeff: coeff, into: grads, ev, kernel)
    }
  }

  /// W_0x += coeff·Σ_b g_b ρ(x_b)ᵀ and b_0x += coeff·Σ_b g_b for a signal g [B × sizes[0]]
  /// on the output: how anything linear in W_0xρ(x) + b_0x reaches its parameters.
  func accumulateOutputInput(
    _ signal: UnsafeMutableRawPointer?, coeff: Double, into grads: UnsafePointer<EQP_Tensor>,
    _ ev: HopfieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    try kernel.outerAccumulate(
      batch: ev.batch, m: sizes[0], n: inputSize, alpha: coeff, a: signal, b: rhoOfInput(ev),
      c: grads[skipWeightIndex].baseAddress)
    try kernel.sumRows(
      rows: ev.batch, cols: sizes[0], alpha: coeff, x: signal, beta: 1,
      v: grads[skipBiasIndex].baseAddress)
  }
}
