@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured rule: K, β, and the two state sets it reuses from batch to batch.
final class ExampleEPRule {
  let nudgedSteps: Int64
  let beta: Double
  /// s* and s^β, made by the session (which frees them) for one batch size.
  private var states: (batch: Int64, free: OpaquePointer, nudged: OpaquePointer)?

  init(_ args: EQP_LearnerCreateArgs, err: OpaquePointer?) throws(PluginError) {
    let options = OptionReader(args.options, err: err)
    nudgedSteps = try options.int("nudged_steps")
    beta = try options.double("beta")
    guard beta > 0 else {
      throw PluginError(.invalidArgument, "learner.beta: must be > 0, found 0")
    }
  }

  /// Free phase, nudged phase, and the contrast in the descent convention: the host applies
  /// θ ← θ − η·g with g = −(∂Φ/∂θ(s^β) − ∂Φ/∂θ(s*)) / (βB).
  func trainBatch(_ session: SessionCalls, grads: OpaquePointer?) throws(PluginError)
    -> EQP_BatchResult
  {
    let (free, nudged) = try stateSets(session)
    let freePhase = try session.relax(free, beta: 0, steps: 0, start: .default)
    let evaluation = try session.evaluate(free)  // before the update, as training error
    try session.copy(free, to: nudged)
    try session.relax(nudged, beta: beta, steps: nudgedSteps, start: .current)
    let batch = Double(session.batchSize)
    try session.paramGrad(nudged, coeff: -1 / (beta * batch), into: grads)
    try session.paramGrad(free, coeff: 1 / (beta * batch), into: grads)
    var result = EQP_BatchResult()
    result.struct_size = Int(EQP_BatchResult_STRUCT_SIZE)
    result.applied = 0  // the host applies g
    result.loss_sum = evaluation.lossSum
    result.errors = evaluation.errors
    result.free_steps = freePhase.steps_used
    return result
  }

  private func stateSets(_ session: SessionCalls) throws(PluginError) -> (
    free: OpaquePointer, nudged: OpaquePointer
  ) {
    if let states, states.batch == session.batchSize { return (states.free, states.nudged) }
    let made = (
      batch: session.batchSize, free: try session.makeStates(), nudged: try session.makeStates()
    )
    states = made
    return (made.free, made.nudged)
  }
}
