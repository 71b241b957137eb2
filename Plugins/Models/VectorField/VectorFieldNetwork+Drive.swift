@preconcurrency import CEqprop
import EqpropPluginSDK

/// The forward pass. With r_j the pre-synaptic value of layer j (s_j, or ρ(s_j) in the
/// continuous form) and u the input (x, or ρ(x)), the bracket of layer i is
/// a_i = W_{i,i+1}r_{i+1} + b_i + B_{i,i−1}r_{i−1}, with W_{N,x}u + b_N (cached by `prepare`)
/// for the first two terms of the top layer; tied, B_{i,i−1} is W_{i−1,i}ᵀ.
extension VectorFieldNetwork {
  /// u: x, or ρ(x) from `prepare` in the continuous form.
  func input(_ ev: VectorFieldEval) -> UnsafeMutableRawPointer? {
    continuous ? ev.workspace.rhoInput.tensors[0].baseAddress : ev.input
  }

  /// r_j: s_j, or ρ(s_j) as last computed by `presynaptic`.
  func presynaptic(_ layer: Int, _ ev: VectorFieldEval) -> UnsafeMutableRawPointer? {
    continuous ? ev.workspace.rho.tensors[layer].baseAddress : ev.state(layer)
  }

  /// Refreshes ρ(s_j) for every layer in the continuous form.
  func computePresynaptic(_ ev: VectorFieldEval, _ kernel: KernelCalls) throws(PluginError) {
    guard continuous else { return }
    for layer in 0..<layerCount {
      try kernel.activate(
        settings.activation.code, count: ev.batch * sizes[layer], x: ev.state(layer),
        y: ev.workspace.rho.tensors[layer].baseAddress)
    }
  }

  /// Caches u and W_{N,x}u + b_N, constant within a batch while θ is.
  func prepare(_ ev: VectorFieldEval, _ kernel: KernelCalls) throws(PluginError) {
    if continuous {
      try kernel.activate(settings.activation.code, count: ev.batch * inputSize, x: ev.input, y: input(ev))
    }
    let projection = ev.workspace.projection.tensors[0].baseAddress
    try kernel.gemm(
      transA: false, transB: true, m: ev.batch, n: sizes[top], k: inputSize, alpha: 1, a: input(ev),
      lda: inputSize, b: ev.param(weightIndex(top)), ldb: inputSize, beta: 0, c: projection, ldc: sizes[top])
    try kernel.addRowVector(rows: ev.batch, cols: sizes[top], alpha: 1, v: ev.param(biasIndex(top)), y: projection)
    ev.workspace.inputTerm.invalidate()
    ev.workspace.prepared = true
  }

  /// a_i into `out`; needs `computePresynaptic` and `prepare` first.
  func bracket(_ layer: Int, into out: UnsafeMutableRawPointer?, _ ev: VectorFieldEval, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let width = sizes[layer]
    if layer == top {
      try kernel.copy(count: ev.batch * width, from: ev.workspace.projection.tensors[0].baseAddress, to: out)
    } else {
      let below = sizes[layer + 1]
      try kernel.gemm(
        transA: false, transB: true, m: ev.batch, n: width, k: below, alpha: 1, a: presynaptic(layer + 1, ev),
        lda: below, b: ev.param(weightIndex(layer)), ldb: below, beta: 0, c: out, ldc: width)
      try kernel.addRowVector(rows: ev.batch, cols: width, alpha: 1, v: ev.param(biasIndex(layer)), y: out)
    }
    guard layer > 0 else { return }
    let above = sizes[layer - 1]
    if settings.tied {
      try kernel.gemm(
        transA: false, transB: false, m: ev.batch, n: width, k: above, alpha: 1, a: presynaptic(layer - 1, ev),
        lda: above, b: ev.param(weightIndex(layer - 1)), ldb: width, beta: 1, c: out, ldc: width)
    } else {
      try kernel.gemm(
        transA: false, transB: true, m: ev.batch, n: width, k: above, alpha: 1, a: presynaptic(layer - 1, ev),
        lda: above, b: ev.param(feedbackIndex(layer - 1)), ldb: above, beta: 1, c: out, ldc: width)
    }
  }

  /// F_i = σ(a_i) (discrete) or a_i (continuous) for every layer.
  func drive(_ ev: VectorFieldEval, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError) {
    try requirePrepared(ev, "drive")
    try ev.checkLikeStates(out, "drive out")
    try computePresynaptic(ev, kernel)
    for layer in 0..<layerCount {
      let target = out[layer].baseAddress
      try bracket(layer, into: target, ev, kernel)
      if !continuous {
        try kernel.activate(settings.activation.code, count: ev.batch * sizes[layer], x: target, y: target)
      }
    }
  }

  func requirePrepared(_ ev: VectorFieldEval, _ call: String) throws(PluginError) {
    guard ev.workspace.prepared else {
      throw PluginError(.invalidArgument, "vf.\(call): the workspace was not prepared for this batch")
    }
  }
}
