@preconcurrency import CEqprop
import EqpropPluginSDK

extension ConvNetwork {
  /// Caches P(C_L(x)) and its pooling indices: they depend on x and θ, not on s (the input
  /// convolution is the costliest term a step would otherwise repeat).
  func prepare(_ pointer: UnsafePointer<EQP_ModelEval>?, _ kernel: KernelCalls) throws(PluginError)
  {
    let ev = try eval(pointer, "prepare", needsStates: false, needsPrepared: false)
    try pooledConv(depth, ev.input, into: ev.workspace.inputPooled, ev, kernel)
    ev.workspace.prepared = true
  }

  /// F_0 = σ(W01 vec(s_1) + b0), F_k = σ(P(C_k(s_{k+1})) + feedback_k) (spec §2.2).
  func drive(
    _ pointer: UnsafePointer<EQP_ModelEval>?, out: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let ev = try eval(pointer, "drive")
    try ev.checkLikeStates(out, "out")
    try preActivations(ev, into: { out[slot($0)].baseAddress }, kernel)
    for l in first...depth {
      let target = out[slot(l)].baseAddress
      try kernel.activate(activation, count: ev.batch * stateWidth(l), x: target, y: target)
    }
  }

  /// The pre-activations of every layer into target(l), all from the states of this step:
  ///   a_0 = W01 vec(s_1) + b0,
  ///   a_1 = P(C_1(s_2)) + reshape(W01ᵀ s_0),
  ///   a_k = P(C_k(s_{k+1})) + C̃_{k−1}(P⁻¹_{idx_{k−1}}(s_{k−1})) for k ≥ 2,
  /// with s_{L+1} = x (P(C_L(x)) from `prepare`), C̃ the transposed convolution without bias,
  /// and idx_{k−1} the indices of this step's pooling of C_{k−1}(s_k) (spec pitfall 8). Also
  /// leaves those indices in the workspace, for vjp.
  func preActivations(
    _ ev: ConvEval, into target: (Int) -> UnsafeMutableRawPointer?, _ kernel: KernelCalls
  ) throws(PluginError) {
    let batch = ev.batch
    if readout == nil {
      try kernel.gemm(
        transA: false, transB: true, m: batch, n: classes, k: fcWidth, alpha: 1, a: state(1, ev),
        lda: fcWidth, b: ev.param(weightIndex(0)), ldb: fcWidth, beta: 0, c: target(0), ldc: classes)
      try kernel.addRowVector(
        rows: batch, cols: classes, alpha: 1, v: ev.param(biasIndex(0)), y: target(0))
    }
    for k in 1..<depth { try pooledConv(k, state(k + 1, ev), into: target(k), ev, kernel) }
    try kernel.copy(
      count: batch * stateWidth(depth), from: ev.workspace.inputPooled, to: target(depth))
    if readout == nil {
      try kernel.gemm(
        transA: false, transB: false, m: batch, n: fcWidth, k: classes, alpha: 1, a: state(0, ev),
        lda: classes, b: ev.param(weightIndex(0)), ldb: fcWidth, beta: 1, c: target(1), ldc: fcWidth)
    }
    for k in stride(from: 2, through: depth, by: 1) {
      let feedback = try unpool(k - 1, state(k - 1, ev), ev, kernel)
      try kernel.conv2dTranspose(
        layers[k - 2].shape(batch: batch), y: feedback, weight: ev.param(weightIndex(k - 1)),
        beta: 1, x: target(k))
    }
  }

  /// P(C_k(source)) with C_k's bias into `target` (batch × |s_k|); the pooling indices go to
  /// the workspace. Without pooling the conv map is written to target directly.
  func pooledConv(
    _ k: Int, _ source: UnsafeRawPointer?, into target: UnsafeMutableRawPointer?, _ ev: ConvEval,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let layer = layers[k - 1]
    let shape = layer.shape(batch: ev.batch)
    let weight = ev.param(weightIndex(k))
    let bias = ev.param(biasIndex(k))
    guard layer.pools else {
      return try kernel.conv2d(shape, x: source, weight: weight, bias: bias, y: target)
    }
    let map = ev.workspace.conv(k)
    try kernel.conv2d(shape, x: source, weight: weight, bias: bias, y: map)
    try kernel.maxpool2d(
      layer.pooling(batch: ev.batch), x: map, y: target, indices: ev.workspace.indices(k))
  }

  /// P⁻¹_{idx_k}(value): a state-shaped tensor of layer k scattered back to C_k's map at the
  /// workspace's indices (zeros elsewhere); value itself without pooling.
  func unpool(_ k: Int, _ value: UnsafeRawPointer?, _ ev: ConvEval, _ kernel: KernelCalls)
    throws(PluginError) -> UnsafeRawPointer?
  {
    let layer = layers[k - 1]
    guard layer.pools else { return value }
    let target = ev.workspace.unpooled(k)
    try kernel.maxunpool2d(
      layer.pooling(batch: ev.batch), x: value, indices: ev.workspace.indices(k), y: target)
    return UnsafeRawPointer(target)
  }

  /// Prediction scores: the output layer itself, or the readout's logits.
  func predict(
    _ pointer: UnsafePointer<EQP_ModelEval>?, scores: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls
  ) throws(PluginError) {
    let ev = try eval(pointer, "predict", needsPrepared: false)
    try ev.check(scores.pointee, count: ev.batch * classes, "scores")
    if let readout {
      try readout.logits(
        batch: ev.batch, state: state(1, ev), weight: ev.param(weightIndex(0)), bias: ev.param(biasIndex(0)),
        into: scores.pointee.baseAddress, kernel)
    } else {
      try kernel.copy(count: ev.batch * classes, from: state(0, ev), to: scores.pointee.baseAddress)
    }
  }
}
