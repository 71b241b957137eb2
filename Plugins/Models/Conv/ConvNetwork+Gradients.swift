@preconcurrency import CEqprop
import EqpropPluginSDK

/// Φ and its derivatives (spec §2.2):
///   Φ = s_0ᵀ(W01 vec(s_1) + b0) + Σ_{k=1…L} s_k • P_{idx_k}(C_k(s_{k+1}))
/// with s_{L+1} = x, C_k with its bias, and the pooling indices idx_k held fixed at those of
/// the states given (computed from them: at a fixed point they are the last step's).
extension ConvNetwork {
  /// per_example[b] = Φ(x_b, s_b).
  func phi(
    _ pointer: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let ev = try eval(pointer, "phi")
    let batch = ev.batch
    for row in 0..<batch { perExample[row] = 0 }
    if readout == nil {
      let fc = ev.workspace.outputPre
      try kernel.gemm(
        transA: false, transB: true, m: batch, n: classes, k: fcWidth, alpha: 1, a: state(1, ev),
        lda: fcWidth, b: ev.param(weightIndex(0)), ldb: fcWidth, beta: 0, c: fc, ldc: classes)
      try kernel.addRowVector(rows: batch, cols: classes, alpha: 1, v: ev.param(biasIndex(0)), y: fc)
      try kernel.rowDots(
        rows: batch, cols: classes, alpha: 1, x: fc, y: state(0, ev), into: perExample)
    }
    for k in 1...depth {
      let pooled = k < depth ? ev.workspace.pre(k) : ev.workspace.inputPooled
      if k < depth { try pooledConv(k, state(k + 1, ev), into: pooled, ev, kernel) }
      try kernel.rowDots(
        rows: batch, cols: stateWidth(k), alpha: 1, x: pooled, y: state(k, ev), into: perExample)
    }
  }

  /// grads += coeff · Σ_b ∂Φ/∂θ: the Hebbian s_0 vec(s_1)ᵀ for W01, and for C_k the
  /// convolution weight gradient G(s_{k+1}, P⁻¹_{idx_k}(s_k)) (bias: Σ of P⁻¹ s_k per channel).
  func paramGrad(
    _ pointer: UnsafePointer<EQP_ModelEval>?, coeff: Double,
    grads: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let ev = try eval(pointer, "param_grad")
    try ev.checkLikeParams(grads, "grads")
    let batch = ev.batch
    // A readout's W01, b0 are not in Φ: the cost's own gradient trains them.
    if readout == nil {
      try kernel.outerAccumulate(
        batch: batch, m: classes, n: fcWidth, alpha: coeff, a: state(0, ev), b: state(1, ev),
        c: grads[weightIndex(0)].baseAddress)
      try kernel.sumRows(
        rows: batch, cols: classes, alpha: coeff, x: state(0, ev), beta: 1,
        v: grads[biasIndex(0)].baseAddress)
    }
    for k in 1...depth {
      // The indices of C_L(x) are cached; the others follow the states given.
      if k < depth, layers[k - 1].pools {
        try pooledConv(k, state(k + 1, ev), into: ev.workspace.pre(k), ev, kernel)
      }
      let spread = try unpool(k, state(k, ev), ev, kernel)
      try kernel.conv2dWeightGrad(
        layers[k - 1].shape(batch: batch), alpha: coeff, x: source(k, ev), dy: spread,
        weightGrad: grads[weightIndex(k)].baseAddress, biasGrad: grads[biasIndex(k)].baseAddress)
    }
  }

  /// Backward through F with δ_l = g_l ⊙ σ'(a_l): cot_states = (∂F/∂s)ᵀ g (overwritten),
  /// cot_params (if given) += (∂F/∂θ)ᵀ g, the pooling indices held at this step's (max
  /// pooling is piecewise linear; its derivative routes through the argmax).
  func vjp(
    _ pointer: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let ev = try eval(pointer, "vjp")
    try ev.checkLikeStates(cotOut, "cot_out")
    try ev.checkLikeStates(cotStates, "cot_states")
    if let cotParams { try ev.checkLikeParams(cotParams, "cot_params") }
    let batch = ev.batch
    let workspace = ev.workspace
    func delta(_ l: Int) -> UnsafeMutableRawPointer? {
      l == 0 ? workspace.outputPre : workspace.pre(l)
    }
    try preActivations(ev, into: delta, kernel)
    for l in first...depth {
      let count = batch * stateWidth(l)
      try kernel.activateGrad(activation, count: count, x: delta(l), y: delta(l))
      try kernel.mul(count: count, x: delta(l), y: cotOut[slot(l)].baseAddress, z: delta(l))
      try kernel.fill(count: count, value: 0, x: cotStates[slot(l)].baseAddress)
    }
    if readout == nil {
      // a_0 = W01 vec(s_1) + b0 and a_1 ∋ W01ᵀ s_0: W01 meets both.
      let w01 = ev.param(weightIndex(0))
      try kernel.gemm(
        transA: false, transB: false, m: batch, n: fcWidth, k: classes, alpha: 1, a: delta(0),
        lda: classes, b: w01, ldb: fcWidth, beta: 1, c: cotStates[slot(1)].baseAddress, ldc: fcWidth)
      try kernel.gemm(
        transA: false, transB: true, m: batch, n: classes, k: fcWidth, alpha: 1, a: delta(1),
        lda: fcWidth, b: w01, ldb: fcWidth, beta: 1, c: cotStates[slot(0)].baseAddress, ldc: classes)
      if let cotParams {
        let weight = cotParams[weightIndex(0)].baseAddress
        try kernel.outerAccumulate(
          batch: batch, m: classes, n: fcWidth, alpha: 1, a: delta(0), b: state(1, ev), c: weight)
        try kernel.outerAccumulate(
          batch: batch, m: classes, n: fcWidth, alpha: 1, a: state(0, ev), b: delta(1), c: weight)
        try kernel.sumRows(
          rows: batch, cols: classes, alpha: 1, x: delta(0), beta: 1,
          v: cotParams[biasIndex(0)].baseAddress)
      }
    }
    // The pooled term P(C_k(s_{k+1})) of a_k: back through the pooling, then C_k.
    for k in 1...depth {
      let layer = layers[k - 1]
      let spread = try unpool(k, delta(k), ev, kernel)
      if k < depth {
        try kernel.conv2dTranspose(
          layer.shape(batch: batch), y: spread, weight: ev.param(weightIndex(k)), beta: 1,
          x: cotStates[slot(k + 1)].baseAddress)
      }
      if let cotParams {
        try kernel.conv2dWeightGrad(
          layer.shape(batch: batch), alpha: 1, x: source(k, ev), dy: spread,
          weightGrad: cotParams[weightIndex(k)].baseAddress,
          biasGrad: cotParams[biasIndex(k)].baseAddress)
      }
    }
    // The feedback C̃_{k−1}(P⁻¹(s_{k−1})) of a_k, k ≥ 2: ⟨δ_k, C̃(v)⟩ = ⟨C(δ_k), v⟩ (no bias).
    for k in stride(from: 2, through: depth, by: 1) {
      let layer = layers[k - 2]
      let shape = layer.shape(batch: batch)
      let map = workspace.conv(k - 1)
      let weight = ev.param(weightIndex(k - 1))
      try kernel.conv2d(shape, x: delta(k), weight: weight, bias: nil, y: map)
      let cotangent = cotStates[slot(k - 1)].baseAddress
      if layer.pools {
        try kernel.poolGather2d(
          layer.pooling(batch: batch), x: map, indices: workspace.indices(k - 1),
          y: workspace.gathered(k - 1))
        try kernel.axpby(
          count: batch * stateWidth(k - 1), alpha: 1, x: workspace.gathered(k - 1), beta: 1,
          y: cotangent)
      } else {
        try kernel.axpby(count: batch * stateWidth(k - 1), alpha: 1, x: map, beta: 1, y: cotangent)
      }
      if let cotParams {
        try kernel.conv2dWeightGrad(
          shape, alpha: 1, x: delta(k), dy: try unpool(k - 1, state(k - 1, ev), ev, kernel),
          weightGrad: cotParams[weightIndex(k - 1)].baseAddress, biasGrad: nil)
      }
    }
  }

  /// ℓ = ½‖s_0 − y‖², or the readout's cross-entropy, per example.
  func cost(
    _ pointer: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let ev = try eval(pointer, "cost", needsTarget: true, needsPrepared: false)
    if let readout {
      let logits = try readoutLogits(readout, ev, kernel)
      return try readout.cost(batch: ev.batch, logits: logits, target: ev.target, perExample: perExample)
    }
    try SquaredError().cost(
      batch: ev.batch, width: classes, output: state(0, ev), target: ev.target,
      residual: ev.workspace.residual, perExample: perExample, kernel)
  }

  /// grad_states[0] += coeff·(s_0 − y), the cost not depending on θ; with a readout,
  /// grad_states of s_1 and grad_params of W01, b0 (if given) += coeff·∂ℓ.
  func costGrad(
    _ pointer: UnsafePointer<EQP_ModelEval>?, coeff: Double,
    gradStates: UnsafeMutablePointer<EQP_Tensor>, gradParams: UnsafeMutablePointer<EQP_Tensor>?,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let ev = try eval(pointer, "cost_grad", needsTarget: true, needsPrepared: false)
    try ev.checkLikeStates(gradStates, "grad_states")
    if let readout {
      if let gradParams { try ev.checkLikeParams(gradParams, "grad_params") }
      let logits = try readoutLogits(readout, ev, kernel)
      try readout.residual(batch: ev.batch, logits: logits, target: ev.target)
      return try readout.accumulateGradient(
        batch: ev.batch, state: state(1, ev), weight: ev.param(weightIndex(0)), residual: logits, coeff: coeff,
        gradState: gradStates[slot(1)].baseAddress, gradWeight: gradParams?[weightIndex(0)].baseAddress,
        gradBias: gradParams?[biasIndex(0)].baseAddress, kernel)
    }
    try SquaredError().accumulateGradient(
      batch: ev.batch, width: classes, output: state(0, ev), target: ev.target, coeff: coeff,
      into: gradStates[0].baseAddress, kernel)
  }

  /// The readout's logits, in the workspace's residual buffer.
  private func readoutLogits(_ readout: SoftmaxReadout, _ ev: ConvEval, _ kernel: KernelCalls) throws(PluginError)
    -> UnsafeMutableRawPointer?
  {
    let logits = ev.workspace.residual
    try readout.logits(
      batch: ev.batch, state: state(1, ev), weight: ev.param(weightIndex(0)), bias: ev.param(biasIndex(0)),
      into: logits, kernel)
    return logits
  }

  /// PyTorch's defaults (spec §5): Linear and Conv2d weights and biases U(±1/√fan_in), fan_in
  /// = |s_1| for W01 and in_channels · kernel² for C_k.
  func initParams(
    _ params: UnsafeMutablePointer<EQP_Tensor>, count: Int, rng: OpaquePointer?, err: OpaquePointer?
  ) throws(PluginError) {
    guard count == 2 * (depth + 1), let fill = PluginHost.rng?.pointee.fill_uniform else {
      throw PluginError(
        .invalidArgument, "conv.init_params: \(count) tensors given, expected \(2 * (depth + 1))")
    }
    for k in 0...depth {
      let bound = 1 / Double(k == 0 ? fcWidth : layers[k - 1].fanIn).squareRoot()
      for index in [weightIndex(k), biasIndex(k)] {
        try PluginError.check(fill(rng, params + index, -bound, bound, err), "rng.fill_uniform")
      }
    }
  }
}
