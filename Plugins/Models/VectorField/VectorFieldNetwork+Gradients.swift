@preconcurrency import CEqprop
import EqpropPluginSDK

extension VectorFieldNetwork {
  /// grads += coeff·Σ_b of EP's Hebbian terms, applied to both directions:
  /// r_i r_{i+1}ᵀ for W_{i,i+1}, r_N uᵀ for W_{N,x}, r_i for b_i, r_{i+1} r_iᵀ for B_{i+1,i}.
  /// Tied, this is ∂Φ/∂θ of the prototypical Φ; untied there is no Φ, and these terms give the
  /// non-continual rule that keeps W and Bᵀ moving together.
  func paramGrad(_ ev: VectorFieldEval, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try requirePrepared(ev, "param_grad")
    try ev.checkLikeParams(grads, "param_grad grads")
    try computePresynaptic(ev, kernel)
    for layer in 0..<layerCount {
      let source = layer < top ? presynaptic(layer + 1, ev) : input(ev)
      try kernel.outerAccumulate(
        batch: ev.batch, m: sizes[layer], n: inputWidth(of: layer), alpha: coeff, a: presynaptic(layer, ev),
        b: source, c: grads[weightIndex(layer)].baseAddress)
      try kernel.sumRows(
        rows: ev.batch, cols: sizes[layer], alpha: coeff, x: presynaptic(layer, ev), beta: 1,
        v: grads[biasIndex(layer)].baseAddress)
      if !settings.tied && layer < top {
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer + 1], n: sizes[layer], alpha: coeff, a: presynaptic(layer + 1, ev),
          b: presynaptic(layer, ev), c: grads[feedbackIndex(layer)].baseAddress)
      }
    }
  }

  /// grads += coeff·Σ_b Δθ of one step, by the vector-field rule (spec §3.5).
  func stepUpdate(
    _ ev: VectorFieldEval, after: UnsafePointer<EQP_Tensor>, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    try requirePrepared(ev, "step_update")
    try ev.checkLikeStates(after, "step_update after")
    try ev.checkLikeParams(grads, "step_update grads")
    try addStepRule(ev, after: after, rate: { _ in coeff }, into: grads, kernel)
  }

  /// target[k] += rate(k)·Σ_b Δθ_k of one step by the vector-field rule: post-synaptic change
  /// times pre-synaptic activity at t, Δs_i r_{i+1}ᵀ for W_{i,i+1}, Δs_{i+1} r_iᵀ for
  /// B_{i+1,i}, Δs_N uᵀ for W_{N,x}, Δs_i for b_i where `ruleMovesBias`. Leaves the changes
  /// Δs in the workspace. step_update and apply_step both run it, so they cannot disagree.
  func addStepRule(
    _ ev: VectorFieldEval, after: UnsafePointer<EQP_Tensor>, rate: (Int) -> Double,
    into target: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  ) throws(PluginError) {
    guard !settings.tied else {
      // Tied there is no B, and the layout promises neither entry: the host uses EP's rule.
      throw PluginError(.unsupported, "vf: a tied network has no vector-field rule (its steps follow EP's)")
    }
    try computePresynaptic(ev, kernel)
    try ev.stateChange(to: after, into: ev.workspace.change, kernel)
    let change = ev.workspace.change.tensors
    for layer in 0..<layerCount {
      let delta = change[layer].baseAddress
      let source = layer < top ? presynaptic(layer + 1, ev) : input(ev)
      try kernel.outerAccumulate(
        batch: ev.batch, m: sizes[layer], n: inputWidth(of: layer), alpha: rate(weightIndex(layer)), a: delta,
        b: source, c: target[weightIndex(layer)].baseAddress)
      if ruleMovesBias(layer) {
        try kernel.sumRows(
          rows: ev.batch, cols: sizes[layer], alpha: rate(biasIndex(layer)), x: delta, beta: 1,
          v: target[biasIndex(layer)].baseAddress)
      }
      if layer < top {
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer + 1], n: sizes[layer], alpha: rate(feedbackIndex(layer)),
          a: change[layer + 1].baseAddress, b: presynaptic(layer, ev), c: target[feedbackIndex(layer)].baseAddress)
      }
    }
  }

  /// Whether the rule moves b_i: the discrete form leaves b_N alone, as the papers' VFdisc
  /// does; the continuous form updates it.
  func ruleMovesBias(_ layer: Int) -> Bool { layer < top || continuous }

  /// Backward through F for a cotangent g: cot_states = (∂F/∂s)ᵀg (overwritten), cot_params
  /// (if given) += (∂F/∂θ)ᵀg. With δ_i = g_i ⊙ σ'(a_i) (discrete) or g_i (continuous), the
  /// cotangent of r_j is W_{j−1,j}ᵀδ_{j−1} + B_{j+1,j}ᵀδ_{j+1}, times ρ'(s_j) when continuous.
  func vjp(
    _ ev: VectorFieldEval, cotOut: UnsafePointer<EQP_Tensor>, cotStates: UnsafeMutablePointer<EQP_Tensor>,
    cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try requirePrepared(ev, "vjp")
    try ev.checkLikeStates(cotOut, "vjp cot_out")
    try ev.checkLikeStates(cotStates, "vjp cot_states")
    if let cotParams { try ev.checkLikeParams(cotParams, "vjp cot_params") }
    try computePresynaptic(ev, kernel)
    let delta = ev.workspace.pre.tensors
    for layer in 0..<layerCount {
      let count = ev.batch * sizes[layer]
      let d = delta[layer].baseAddress
      if continuous {
        try kernel.copy(count: count, from: cotOut[layer].baseAddress, to: d)
      } else {
        try bracket(layer, into: d, ev, kernel)
        try kernel.activateGrad(settings.activation.code, count: count, x: d, y: d)
        try kernel.mul(count: count, x: d, y: cotOut[layer].baseAddress, z: d)
      }
    }
    for layer in 0..<layerCount {
      try presynapticCotangent(layer, into: cotStates[layer].baseAddress, ev, kernel)
    }
    if continuous {
      // cot_s_j = cot_r_j ⊙ ρ'(s_j); ρ(s) is no longer needed, so its buffer holds ρ'.
      for layer in 0..<layerCount {
        let count = ev.batch * sizes[layer]
        let slope = ev.workspace.rho.tensors[layer].baseAddress
        try kernel.activateGrad(settings.activation.code, count: count, x: ev.state(layer), y: slope)
        try kernel.mul(count: count, x: cotStates[layer].baseAddress, y: slope, z: cotStates[layer].baseAddress)
      }
      // Parameter cotangents need r_j again.
      try computePresynaptic(ev, kernel)
    }
    if let cotParams { try accumulateParams(into: cotParams, ev, kernel) }
  }

  /// W_{j−1,j}ᵀδ_{j−1} + B_{j+1,j}ᵀδ_{j+1} (rows: examples) into `out`.
  private func presynapticCotangent(
    _ layer: Int, into out: UnsafeMutableRawPointer?, _ ev: VectorFieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    let delta = ev.workspace.pre.tensors
    let width = sizes[layer]
    var beta = 0.0
    if layer > 0 {
      let above = sizes[layer - 1]
      try kernel.gemm(
        transA: false, transB: false, m: ev.batch, n: width, k: above, alpha: 1, a: delta[layer - 1].baseAddress,
        lda: above, b: ev.param(weightIndex(layer - 1)), ldb: width, beta: 0, c: out, ldc: width)
      beta = 1
    }
    if layer < top {
      let below = sizes[layer + 1]
      if settings.tied {
        try kernel.gemm(
          transA: false, transB: true, m: ev.batch, n: width, k: below, alpha: 1, a: delta[layer + 1].baseAddress,
          lda: below, b: ev.param(weightIndex(layer)), ldb: below, beta: beta, c: out, ldc: width)
      } else {
        try kernel.gemm(
          transA: false, transB: false, m: ev.batch, n: width, k: below, alpha: 1, a: delta[layer + 1].baseAddress,
          lda: below, b: ev.param(feedbackIndex(layer)), ldb: width, beta: beta, c: out, ldc: width)
      }
      beta = 1
    }
    if beta == 0 { try kernel.fill(count: ev.batch * width, value: 0, x: out) }
  }

  /// cot_params += δ_i r_{i+1}ᵀ (W_{i,i+1}), δ_N uᵀ (W_{N,x}), Σδ_i (b_i), δ_{i+1} r_iᵀ
  /// (B_{i+1,i}; tied: r_i δ_{i+1}ᵀ into W_{i,i+1}).
  private func accumulateParams(
    into cotParams: UnsafeMutablePointer<EQP_Tensor>, _ ev: VectorFieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    let delta = ev.workspace.pre.tensors
    for layer in 0..<layerCount {
      let d = delta[layer].baseAddress
      let source = layer < top ? presynaptic(layer + 1, ev) : input(ev)
      try kernel.outerAccumulate(
        batch: ev.batch, m: sizes[layer], n: inputWidth(of: layer), alpha: 1, a: d, b: source,
        c: cotParams[weightIndex(layer)].baseAddress)
      try kernel.sumRows(
        rows: ev.batch, cols: sizes[layer], alpha: 1, x: d, beta: 1, v: cotParams[biasIndex(layer)].baseAddress)
      guard layer < top else { continue }
      if settings.tied {
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer], n: sizes[layer + 1], alpha: 1, a: presynaptic(layer, ev),
          b: delta[layer + 1].baseAddress, c: cotParams[weightIndex(layer)].baseAddress)
      } else {
        try kernel.outerAccumulate(
          batch: ev.batch, m: sizes[layer + 1], n: sizes[layer], alpha: 1, a: delta[layer + 1].baseAddress,
          b: presynaptic(layer, ev), c: cotParams[feedbackIndex(layer)].baseAddress)
      }
    }
  }
}
