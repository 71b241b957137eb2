@preconcurrency import CEqprop

/// The session's services as throwing calls, for host-side procedures (checks) that drive
/// phases and derivatives directly, as a learner would.
struct SessionOps {
  let session: TrainingSession

  private func check(_ status: EQP_Status, _ sink: ErrorSink, _ what: String) throws(PluginFailure) {
    if status != EQP_Status(EQP_OK) { throw PluginFailure("\(what): \(sink.describe(status))") }
  }

  func states() throws(PluginFailure) -> TensorSet {
    try TensorSet(dtype: session.config.dtype, shapes: session.model.stateShapes(batch: session.batchSize))
  }

  func parameterSet() throws(PluginFailure) -> TensorSet {
    try TensorSet(dtype: session.config.dtype, shapes: session.model.parameterShapes)
  }

  /// Runs `steps` steps (0: the configured free phase) at `beta` from `start`.
  @discardableResult
  func relax(_ states: TensorSet, beta: Double, steps: Int64, start: Int32, noEarlyStop: Bool = false)
    throws(PluginFailure) -> EQP_RunResult
  {
    var args = EQP_RelaxArgs()
    args.struct_size = Int(EQP_RelaxArgs_STRUCT_SIZE)
    args.states = states.pointer
    args.beta = beta
    args.steps = steps
    args.start = UInt32(start)
    args.flags = noEarlyStop ? UInt32(EQP_RELAX_NO_EARLY_STOP) : 0
    var result = EQP_RunResult()
    let sink = ErrorSink()
    try check(session.relax(args, &result, sink.pointer), sink, "relax")
    return result
  }

  func paramGrad(_ states: TensorSet, coeff: Double, into grads: TensorSet) throws(PluginFailure) {
    let sink = ErrorSink()
    try check(session.paramGrad(states, coeff, grads, sink.pointer), sink, "param_grad")
  }

  func costGrad(_ states: TensorSet, coeff: Double, into gradStates: TensorSet) throws(PluginFailure) {
    let sink = ErrorSink()
    try check(session.costGrad(states, coeff, gradStates, nil, sink.pointer), sink, "cost_grad")
  }

  func stepVjp(before: TensorSet, after: TensorSet, cotAfter: TensorSet, cotBefore: TensorSet, cotParams: TensorSet)
    throws(PluginFailure)
  {
    let sink = ErrorSink()
    try check(
      session.stepVjp(
        before: before, after: after, beta: 0, cotAfter: cotAfter, cotBefore: cotBefore,
        cotParams: cotParams, err: sink.pointer), sink, "step_vjp")
  }
}
