@preconcurrency import CEqprop
import EqpropPluginSDK

extension HopfieldNetwork {
  /// Caches ρ(x) and the input term W_{N,x}ρ(x) + b_N (and W_0xρ(x) + b_0x), constant
  /// within a batch while θ is.
  func prepare(_ ev: HopfieldEval, _ kernel: KernelCalls) throws(PluginError) {
    if settings.inputThroughRho {
      try kernel.activate(
        settings.activation.code, count: ev.batch * inputSize, x: ev.input, y: rhoOfInput(ev))
    }
    let term = ev.workspace.inputTerm.tensors[0].baseAddress
    try fromBelow(top, rhoOfInput(ev), beta: 0, into: term, ev, kernel)
    try kernel.addRowVector(
      rows: ev.batch, cols: sizes[top], alpha: 1, v: ev.param(biasIndex(top)), y: term)
    if settings.inputToOutput {
      try outputInputTerm(
        beta: 0, into: ev.workspace.outputInputTerm.tensors[0].baseAddress, ev, kernel)
    }
    ev.workspace.prepared = true
  }

  /// F_i = ρ'(s_i) ⊙ a_i for every layer, except F_0 = a_0 on a reference output row.
  func drive(_ ev: HopfieldEval, out: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try requirePrepared(ev, "drive")
    try ev.checkLikeStates(out, "drive out")
    try activateStates(ev, kernel)
    let slope = ev.workspace.slope.tensors
    for layer in 0..<layerCount {
      let target = out[layer].baseAddress
      try bracket(layer, into: target, ev, kernel)
      guard hasSlope(layer) else { continue }
      let count = ev.batch * sizes[layer]
      let derivative = slope[layer].baseAddress
      try kernel.activateGrad(
        settings.activation.code, count: count, x: ev.state(layer), y: derivative)
      try kernel.mul(count: count, x: derivative, y: target, z: target)
    }
  }

  /// Prediction scores: the output layer itself.
  func predict(_ ev: HopfieldEval, scores: UnsafeMutablePointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError)
  {
    try kernel.copy(count: ev.batch * sizes[0], from: ev.state(0), to: scores.pointee.baseAddress)
  }
}
