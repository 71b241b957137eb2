@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured EP rule and the state buffers it reuses from batch to batch.
final class EPRule {
  enum Sign: String {
    case positive, random, symmetric
  }

  let nudgedSteps: Int64
  let beta: Double
  let sign: Sign
  private var buffers: StateBuffers?

  init(_ args: EQP_LearnerCreateArgs, err: OpaquePointer?) throws(PluginError) {
    let options = OptionReader(args.options, err: err)
    nudgedSteps = try options.int("nudged_steps")
    beta = try options.double("beta")
    guard beta > 0 else { throw PluginError(.invalidArgument, "learner.beta: must be > 0, found 0") }
    let name = try options.string("beta_sign")
    guard let sign = Sign(rawValue: name) else {
      throw PluginError(
        .invalidArgument, "learner.beta_sign: \"\(name)\" is not one of positive, random, symmetric")
    }
    self.sign = sign
  }

  /// Free phase, nudged phase(s), then the contrast in the descent convention.
  func trainBatch(
    _ session: SessionCalls, grads: OpaquePointer?, result: UnsafeMutablePointer<EQP_BatchResult>
  ) throws(PluginError) {
    let states = try buffers(session)
    let free = try session.relax(states.free, beta: 0, steps: 0, start: .default)
    // ‖s_T − s_{T−1}‖∞: how far the free phase is from a fixed point.
    try session.logMetric("free_residual", free.residual)
    let evaluation = try session.evaluate(states.free)
    let batch = Double(session.batchSize)
    switch sign {
    case .positive, .random:
      let signedBeta = sign == .random && session.uniform() >= 0.5 ? -beta : beta
      try session.copy(states.free, to: states.nudged)
      _ = try session.relax(states.nudged, beta: signedBeta, steps: nudgedSteps, start: .current)
      // g = −(Φ_θ(s^β) − Φ_θ(s*)) / (β B): descent convention (docs/ABI.md).
      try session.paramGrad(states.nudged, coeff: -1 / (signedBeta * batch), into: grads)
      try session.paramGrad(states.free, coeff: 1 / (signedBeta * batch), into: grads)
      try addCostTerm(session, at: states.nudged, coeff: 1 / batch, grads: grads, scratch: states.opposite)
    case .symmetric:
      try session.copy(states.free, to: states.nudged)
      _ = try session.relax(states.nudged, beta: beta, steps: nudgedSteps, start: .current)
      try session.copy(states.free, to: states.opposite)
      _ = try session.relax(states.opposite, beta: -beta, steps: nudgedSteps, start: .current)
      try session.paramGrad(states.nudged, coeff: -1 / (2 * beta * batch), into: grads)
      try session.paramGrad(states.opposite, coeff: 1 / (2 * beta * batch), into: grads)
      try addCostTerm(session, at: states.nudged, coeff: 1 / (2 * batch), grads: grads, scratch: states.free)
      try addCostTerm(session, at: states.opposite, coeff: 1 / (2 * batch), grads: grads, scratch: states.free)
    }
    result.pointee.applied = 0
    result.pointee.loss_sum = evaluation.lossSum
    result.pointee.errors = evaluation.errors
    result.pointee.free_steps = free.steps_used
  }

  /// grads += coeff·∂ℓ/∂θ(s): the β-term of Φ^β = Φ − βℓ in the contrast, non-zero only for
  /// a cost with parameters of its own (a cross-entropy readout, Laborieux et al. 2021).
  /// `scratch` (a states set no longer needed) receives the unused ∂ℓ/∂s.
  private func addCostTerm(
    _ session: SessionCalls, at states: OpaquePointer, coeff: Double, grads: OpaquePointer?, scratch: OpaquePointer
  ) throws(PluginError) {
    try session.zero(scratch)
    try session.costGrad(states, coeff: coeff, gradStates: scratch, gradParams: grads)
  }

  private struct StateBuffers {
    var batch: Int64
    var free: OpaquePointer
    var nudged: OpaquePointer
    var opposite: OpaquePointer
  }

  /// The three state sets, made once per batch size by the session (which frees them).
  private func buffers(_ session: SessionCalls) throws(PluginError) -> StateBuffers {
    if let buffers, buffers.batch == session.batchSize { return buffers }
    let made = StateBuffers(
      batch: session.batchSize, free: try session.makeStates(), nudged: try session.makeStates(),
      opposite: try session.makeStates())
    buffers = made
    return made
  }
}
