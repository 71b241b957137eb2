@preconcurrency import CEqprop
import EqpropPluginSDK

extension DenseNetwork {
  /// grads += coeff·Σ_b ∂Φ/∂θ with Φ = Σ s_iᵀW_{i,i+1}s_{i+1} + s_NᵀW_{N,x}x + Σ b_iᵀs_i.
  func paramGrad(_ ev: DenseEval, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    for layer in 0..<layerCount {
      let source = layer < hiddenCount ? ev.state(layer + 1) : ev.input
      try kernel.outerAccumulate(
        batch: ev.batch, m: sizes[layer], n: inputWidth(of: layer), alpha: coeff, a: ev.state(layer),
        b: source, c: grads[weightIndex(layer)].baseAddress)
      try kernel.sumRows(
        rows: ev.batch, cols: sizes[layer], alpha: coeff, x: ev.state(layer), beta: 1,
        v: grads[biasIndex(layer)].baseAddress)
    }
  }

  /// Backward through F: δ_l = g_l ⊙ σ'(pre_l); cot_states = (∂F/∂s)ᵀ g (overwritten);
  /// cot_params (if given) += (∂F/∂θ)ᵀ g.
  func vjp(
    _ ev: DenseEval, cotOut: UnsafePointer<EQP_Tensor>, cotStates: UnsafeMutablePointer<EQP_Tensor>,
    cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    guard ev.workspace.prepared else {
      throw PluginError(.invalidArgument, "dense.vjp: the workspace was not prepared for this batch")
    }
    let delta = ev.workspace.pre.tensors
    for layer in 0..<layerCount {
      let buffer = delta[layer].baseAddress
      let count = ev.batch * sizes[layer]
      try preActivation(layer, ev, into: buffer, kernel)
      try kernel.activateGrad(activation, count: count, x: buffer, y: buffer)
      try kernel.mul(count: count, x: buffer, y: cotOut[layer].baseAddress, z: buffer)
      try kernel.fill(count: count, value: 0, x: cotStates[layer].baseAddress)
    }
    for layer in 0..<layerCount {
      let width = sizes[layer]
      let d = delta[layer].baseAddress
      if layer < hiddenCount {
        let below = sizes[layer + 1]
        // pre_l contains s_{l+1}·W_{l,l+1}ᵀ.
        try kernel.gemm(
          transA: false, transB: false, m: ev.batch, n: below, k: width, alpha: 1, a: d, lda: width,
          b: ev.param(weightIndex(layer)), ldb: below, beta: 1, c: cotStates[layer + 1].baseAddress, ldc: below)
      }
      if layer > 0 {
        let above = sizes[layer - 1]
        // pre_l contains s_{l−1}·W_{l−1,l}.
        try kernel.gemm(
          transA: false, transB: true, m: ev.batch, n: above, k: width, alpha: 1, a: d, lda: width,
          b: ev.param(weightIndex(layer - 1)), ldb: width, beta: 1, c: cotStates[layer - 1].baseAddress, ldc: above)
      }
      guard let cotParams else { continue }
      let source = layer < hiddenCount ? ev.state(layer + 1) : ev.input
      let weight = cotParams[weightIndex(layer)].baseAddress
      try kernel.outerAccumulate(batch: ev.batch, m: width, n: inputWidth(of: layer), alpha: 1, a: d, b: source, c: weight)
      if layer < hiddenCount {
        // W_{l,l+1} also feeds layer l+1 through its transpose: s_l·W_{l,l+1}.
        try kernel.outerAccumulate(
          batch: ev.batch, m: width, n: sizes[layer + 1], alpha: 1, a: ev.state(layer),
          b: delta[layer + 1].baseAddress, c: weight)
      }
      try kernel.sumRows(rows: ev.batch, cols: width, alpha: 1, x: d, beta: 1, v: cotParams[biasIndex(layer)].baseAddress)
    }
  }

  /// Φ per example (for checks): Σ_l s_l·(W_{l,l+1}s_{l+1} or W_{N,x}x) + b_l·s_l.
  func phi(_ ev: DenseEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls) throws(PluginError) {
    for row in 0..<ev.batch { perExample[row] = 0 }
    for layer in 0..<layerCount {
      let width = sizes[layer]
      let terms = ev.workspace.phiTerms.tensors[layer].baseAddress
      let source = layer < hiddenCount ? ev.state(layer + 1) : ev.input
      try kernel.gemm(
        transA: false, transB: true, m: ev.batch, n: width, k: inputWidth(of: layer), alpha: 1,
        a: source, lda: inputWidth(of: layer), b: ev.param(weightIndex(layer)), ldb: inputWidth(of: layer),
        beta: 0, c: terms, ldc: width)
      try kernel.addRowVector(rows: ev.batch, cols: width, alpha: 1, v: ev.param(biasIndex(layer)), y: terms)
      try kernel.rowDots(rows: ev.batch, cols: width, alpha: 1, x: terms, y: ev.state(layer), into: perExample)
    }
  }

  /// ℓ = ½‖s_0 − y‖² per example.
  func cost(_ ev: DenseEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls) throws(PluginError) {
    try kernel.halfSquaredError(
      rows: ev.batch, width: sizes[0], output: ev.state(0), target: ev.target,
      residual: ev.workspace.residual.tensors[0].baseAddress, into: perExample)
  }

  /// grad_states[0] += coeff·(s_0 − y); the cost does not depend on θ.
  func costGrad(_ ev: DenseEval, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try kernel.halfSquaredErrorGrad(
      count: ev.batch * sizes[0], coeff: coeff, output: ev.state(0), target: ev.target,
      into: gradStates[0].baseAddress)
  }

  /// PyTorch's default for Linear(n_in → n_out): weights and biases U(±1/√n_in) (spec §5).
  func initParams(_ params: UnsafeMutablePointer<EQP_Tensor>, count: Int, rng: OpaquePointer?, err: OpaquePointer?)
    throws(PluginError)
  {
    guard count == 2 * layerCount, let fill = PluginHost.rng?.pointee.fill_uniform else {
      throw PluginError(.invalidArgument, "dense.init_params: \(count) tensors given, expected \(2 * layerCount)")
    }
    for layer in 0..<layerCount {
      let bound = 1 / Double(inputWidth(of: layer)).squareRoot()
      for index in [weightIndex(layer), biasIndex(layer)] {
        try PluginError.check(fill(rng, params + index, -bound, bound, err), "rng.fill_uniform")
      }
    }
  }
}
