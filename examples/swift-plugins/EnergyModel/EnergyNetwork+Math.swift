@preconcurrency import CEqprop
import EqpropPluginSDK

/// The math, on evals the SDK has checked (counts, dtypes, batch, element counts). Tensors are
/// batch-major, so W·s for every example of a batch is the GEMM s·Wᵀ.
extension EnergyNetwork {
  /// Caches x·W1xᵀ + b1, which depends on x and θ but not on s.
  func prepare(_ ev: EnergyEval, _ kernel: KernelCalls) throws(PluginError) {
    let term = ev.workspace.inputTerm
    try kernel.gemm(
      transA: false, transB: true, m: ev.batch, n: hidden, k: inputs, alpha: 1, a: ev.input,
      lda: inputs,
      b: ev.param(Theta.w1x), ldb: inputs, beta: 0, c: term, ldc: hidden)
    try kernel.addRowVector(rows: ev.batch, cols: hidden, alpha: 1, v: ev.param(Theta.b1), y: term)
  }

  /// F0 = s1·W01ᵀ + b0 and F1 = s0·W01 + (x·W1xᵀ + b1): no clip, nudge or ε (the dynamics').
  func drive(_ ev: EnergyEval, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try ev.checkLikeStates(out, "drive out")
    try outputDrive(ev, into: out[0].baseAddress, kernel)
    let f1 = out[1].baseAddress
    try kernel.copy(count: ev.batch * hidden, from: ev.workspace.inputTerm, to: f1)
    try kernel.gemm(
      transA: false, transB: false, m: ev.batch, n: hidden, k: classes, alpha: 1, a: ev.state(0),
      lda: classes,
      b: ev.param(Theta.w01), ldb: hidden, beta: 1, c: f1, ldc: hidden)
  }

  /// grads += coeff·Σ_batch ∂Φ/∂θ: outer products and row sums.
  func paramGrad(
    _ ev: EnergyEval, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls
  )
    throws(PluginError)
  {
    try ev.checkLikeParams(grads, "param_grad grads")
    try kernel.outerAccumulate(
      batch: ev.batch, m: classes, n: hidden, alpha: coeff, a: ev.state(0), b: ev.state(1),
      c: grads[Theta.w01].baseAddress)
    try kernel.sumRows(
      rows: ev.batch, cols: classes, alpha: coeff, x: ev.state(0), beta: 1,
      v: grads[Theta.b0].baseAddress)
    try kernel.outerAccumulate(
      batch: ev.batch, m: hidden, n: inputs, alpha: coeff, a: ev.state(1), b: ev.input,
      c: grads[Theta.w1x].baseAddress)
    try kernel.sumRows(
      rows: ev.batch, cols: hidden, alpha: coeff, x: ev.state(1), beta: 1,
      v: grads[Theta.b1].baseAddress)
  }

  /// Φ per example: s0·(W01·s1 + b0) + s1·(W1x·x + b1).
  func phi(_ ev: EnergyEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    let f0 = ev.workspace.scratch
    try outputDrive(ev, into: f0, kernel)
    for row in 0..<ev.batch { perExample[row] = 0 }
    try kernel.rowDots(
      rows: ev.batch, cols: classes, alpha: 1, x: ev.state(0), y: f0, into: perExample)
    try kernel.rowDots(
      rows: ev.batch, cols: hidden, alpha: 1, x: ev.state(1), y: ev.workspace.inputTerm,
      into: perExample)
  }

  /// ½‖s0 − y‖² per example, by the SDK's squared error.
  func cost(_ ev: EnergyEval, perExample: UnsafeMutablePointer<Double>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try SquaredError().cost(
      batch: ev.batch, width: classes, output: ev.state(0), target: ev.target,
      residual: ev.workspace.scratch,
      perExample: perExample, kernel)
  }

  /// grad_states[0] += coeff·(s0 − y); ℓ has no parameters, so grad_params stays as it is.
  func costGrad(
    _ ev: EnergyEval, coeff: Double, gradStates: UnsafeMutablePointer<EQP_Tensor>,
    gradParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try SquaredError().accumulateGradient(
      batch: ev.batch, width: classes, output: ev.state(0), target: ev.target, coeff: coeff,
      into: gradStates[0].baseAddress, kernel)
  }

  /// The scores are the output layer itself.
  func predict(_ ev: EnergyEval, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try kernel.copy(count: ev.batch * classes, from: ev.state(0), to: scores.pointee.baseAddress)
  }

  /// F is linear in s: with g the cotangent on F, cot_s0 = g1·W01ᵀ and cot_s1 = g0·W01
  /// (overwritten); cot_θ += the outer products of param_grad with g in place of s.
  func vjp(
    _ ev: EnergyEval, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>,
    cotParams: UnsafeMutablePointer<EQP_Tensor>?, _ kernel: KernelCalls
  ) throws(PluginError) {
    try ev.checkLikeStates(cotOut, "vjp cot_out")
    try ev.checkLikeStates(cotStates, "vjp cot_states")
    let (g0, g1) = (cotOut[0].baseAddress, cotOut[1].baseAddress)
    try kernel.gemm(
      transA: false, transB: true, m: ev.batch, n: classes, k: hidden, alpha: 1, a: g1, lda: hidden,
      b: ev.param(Theta.w01), ldb: hidden, beta: 0, c: cotStates[0].baseAddress, ldc: classes)
    try kernel.gemm(
      transA: false, transB: false, m: ev.batch, n: hidden, k: classes, alpha: 1, a: g0,
      lda: classes,
      b: ev.param(Theta.w01), ldb: hidden, beta: 0, c: cotStates[1].baseAddress, ldc: hidden)
    guard let cotParams else { return }
    try ev.checkLikeParams(cotParams, "vjp cot_params")
    let w01 = cotParams[Theta.w01].baseAddress
    try kernel.outerAccumulate(
      batch: ev.batch, m: classes, n: hidden, alpha: 1, a: g0, b: ev.state(1), c: w01)
    try kernel.outerAccumulate(
      batch: ev.batch, m: classes, n: hidden, alpha: 1, a: ev.state(0), b: g1, c: w01)
    try kernel.sumRows(
      rows: ev.batch, cols: classes, alpha: 1, x: g0, beta: 1, v: cotParams[Theta.b0].baseAddress)
    try kernel.outerAccumulate(
      batch: ev.batch, m: hidden, n: inputs, alpha: 1, a: g1, b: ev.input,
      c: cotParams[Theta.w1x].baseAddress)
    try kernel.sumRows(
      rows: ev.batch, cols: hidden, alpha: 1, x: g1, beta: 1, v: cotParams[Theta.b1].baseAddress)
  }

  /// F0 = s1·W01ᵀ + b0, for drive and phi.
  private func outputDrive(
    _ ev: EnergyEval, into f0: UnsafeMutableRawPointer?, _ kernel: KernelCalls
  )
    throws(PluginError)
  {
    try kernel.gemm(
      transA: false, transB: true, m: ev.batch, n: classes, k: hidden, alpha: 1, a: ev.state(1),
      lda: hidden,
      b: ev.param(Theta.w01), ldb: hidden, beta: 0, c: f0, ldc: classes)
    try kernel.addRowVector(rows: ev.batch, cols: classes, alpha: 1, v: ev.param(Theta.b0), y: f0)
  }
}
