@preconcurrency import CEqprop
import EqpropPluginSDK

extension DenseNetwork {
  /// Caches the input projection W_{N,x}·x + b_N, constant within a batch while θ is.
  func prepare(_ ev: DenseEval, _ kernel: KernelCalls) throws(PluginError) {
    let top = hiddenCount
    let projection = ev.workspace.projection.tensors[0].baseAddress
    try kernel.gemm(
      transA: false, transB: true, m: ev.batch, n: sizes[top], k: inputSize, alpha: 1,
      a: ev.input, lda: inputSize, b: ev.param(weightIndex(top)), ldb: inputSize, beta: 0,
      c: projection, ldc: sizes[top])
    try kernel.addRowVector(rows: ev.batch, cols: sizes[top], alpha: 1, v: ev.param(biasIndex(top)), y: projection)
    ev.workspace.inputTerm.invalidate()
    ev.workspace.prepared = true
  }

  /// pre_l = W_{l,l+1}·s_{l+1} + b_l + W_{l−1,l}ᵀ·s_{l−1} into `out` (batch-major), with the
  /// top layer's input term taken from the cached projection.
  func preActivation(_ layer: Int, _ ev: DenseEval, into out: UnsafeMutableRawPointer?, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let width = sizes[layer]
    if layer == hiddenCount {
      try kernel.copy(count: ev.batch * width, from: ev.workspace.projection.tensors[0].baseAddress, to: out)
    } else {
      let below = sizes[layer + 1]
      try kernel.gemm(
        transA: false, transB: true, m: ev.batch, n: width, k: below, alpha: 1, a: ev.state(layer + 1),
        lda: below, b: ev.param(weightIndex(layer)), ldb: below, beta: 0, c: out, ldc: width)
      try kernel.addRowVector(rows: ev.batch, cols: width, alpha: 1, v: ev.param(biasIndex(layer)), y: out)
    }
    if layer > 0 {
      let above = sizes[layer - 1]
      try kernel.gemm(
        transA: false, transB: false, m: ev.batch, n: width, k: above, alpha: 1,
        a: ev.state(layer - 1), lda: above, b: ev.param(weightIndex(layer - 1)), ldb: width,
        beta: 1, c: out, ldc: width)
    }
  }

  /// F_l = σ(pre_l) for every layer.
  func drive(_ ev: DenseEval, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    guard ev.workspace.prepared else {
      throw PluginError(.invalidArgument, "dense.drive: the workspace was not prepared for this batch")
    }
    for layer in 0..<layerCount {
      let target = out[layer].baseAddress
      try preActivation(layer, ev, into: target, kernel)
      try kernel.activate(activation, count: ev.batch * sizes[layer], x: target, y: target)
    }
  }
}
