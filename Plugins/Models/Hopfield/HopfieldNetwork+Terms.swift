@preconcurrency import CEqprop
import EqpropPluginSDK

/// The building blocks of F, Φ and the vjp, in batch-major form (rows are examples).
///
/// With r_i = ρ(s_i), the bracket of layer i is
/// a_i = W_{i,i+1}r_{i+1} + b_i + W_{i−1,i}ᵀr_{i−1}, where W_{N,x}ρ(x) + b_N (cached by
/// `prepare`) stands for the first two terms of the top layer and the output has no third.
/// With `input_to_output`, a_0 also has W_0xρ(x) + b_0x (also cached by `prepare`).
extension HopfieldNetwork {
  /// out = beta·out + source·W_iᵀ: the term layer i receives from the input side, with
  /// source [B × inputWidth(i)] (r_{i+1}, ρ(x), or a backward signal).
  func fromBelow(
    _ layer: Int, _ source: UnsafeRawPointer?, beta: Double, into out: UnsafeMutableRawPointer?,
    _ ev: HopfieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    let width = inputWidth(of: layer)
    try kernel.gemm(
      transA: false, transB: true, m: ev.batch, n: sizes[layer], k: width, alpha: 1, a: source,
      lda: width, b: ev.param(weightIndex(layer)), ldb: width, beta: beta, c: out,
      ldc: sizes[layer])
  }

  /// out = beta·out + source·W_{i−1,i}: the feedback layer i > 0 receives from the output
  /// side, with source [B × sizes[i−1]].
  func fromAbove(
    _ layer: Int, _ source: UnsafeRawPointer?, beta: Double, into out: UnsafeMutableRawPointer?,
    _ ev: HopfieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    try kernel.gemm(
      transA: false, transB: false, m: ev.batch, n: sizes[layer], k: sizes[layer - 1], alpha: 1,
      a: source, lda: sizes[layer - 1], b: ev.param(weightIndex(layer - 1)), ldb: sizes[layer],
      beta: beta, c: out, ldc: sizes[layer])
  }

  /// out = beta·out + ρ(x)W_0xᵀ + b_0x: what the output receives straight from the input
  /// with `input_to_output`, from θ as it is now.
  func outputInputTerm(
    beta: Double, into out: UnsafeMutableRawPointer?, _ ev: HopfieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    try kernel.gemm(
      transA: false, transB: true, m: ev.batch, n: sizes[0], k: inputSize, alpha: 1,
      a: rhoOfInput(ev), lda: inputSize, b: ev.param(skipWeightIndex), ldb: inputSize,
      beta: beta, c: out, ldc: sizes[0])
    try kernel.addRowVector(
      rows: ev.batch, cols: sizes[0], alpha: 1, v: ev.param(skipBiasIndex), y: out)
  }

  /// ρ(x), or x itself when the input does not go through ρ (spec pitfall 7).
  func rhoOfInput(_ ev: HopfieldEval) -> UnsafeMutableRawPointer? {
    settings.inputThroughRho ? ev.workspace.rhoInput.tensors[0].baseAddress : ev.input
  }

  /// What lies on the input side of layer i, through ρ: r_{i+1}, or ρ(x) for the top layer.
  func rhoBelow(_ layer: Int, _ ev: HopfieldEval) -> UnsafeMutableRawPointer? {
    layer < top ? ev.workspace.rho.tensors[layer + 1].baseAddress : rhoOfInput(ev)
  }

  /// r_i = ρ(s_i) for every layer, into the workspace.
  func activateStates(_ ev: HopfieldEval, _ kernel: KernelCalls) throws(PluginError) {
    let rho = ev.workspace.rho.tensors
    for layer in 0..<layerCount {
      try kernel.activate(
        settings.activation.code, count: ev.batch * sizes[layer], x: ev.state(layer),
        y: rho[layer].baseAddress)
    }
  }

  /// a_i into `out`; needs `activateStates` and `prepare` first.
  func bracket(
    _ layer: Int, into out: UnsafeMutableRawPointer?, _ ev: HopfieldEval, _ kernel: KernelCalls
  ) throws(PluginError) {
    let workspace = ev.workspace
    if layer < top {
      try fromBelow(
        layer, workspace.rho.tensors[layer + 1].baseAddress, beta: 0, into: out, ev, kernel)
      try kernel.addRowVector(
        rows: ev.batch, cols: sizes[layer], alpha: 1, v: ev.param(biasIndex(layer)), y: out)
    } else {
      try kernel.copy(
        count: ev.batch * sizes[layer], from: workspace.inputTerm.tensors[0].baseAddress, to: out)
    }
    if layer > 0 {
      try fromAbove(
        layer, workspace.rho.tensors[layer - 1].baseAddress, beta: 1, into: out, ev, kernel)
    } else if settings.inputToOutput {
      try kernel.axpby(
        count: ev.batch * sizes[0], alpha: 1,
        x: workspace.outputInputTerm.tensors[0].baseAddress, beta: 1, y: out)
    }
  }

  /// Fails unless `prepare` ran for this workspace (it caches ρ(x) and the input term).
  func requirePrepared(_ ev: HopfieldEval, _ call: String) throws(PluginError) {
    guard ev.workspace.prepared else {
      throw PluginError(
        .invalidArgument, "hopfield.\(call): the workspace was not prepared for this batch")
    }
  }
}
