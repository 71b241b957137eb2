@preconcurrency import CEqprop

/// The host session of one minibatch as throwing Swift calls, for learners.
public struct SessionCalls {
  /// `EQP_START_*`.
  public enum Start: UInt32 {
    case `default` = 0, current = 1, zero = 2, persistent = 3
  }

  let session: OpaquePointer
  let table: EQP_HostSessionApi
  let err: OpaquePointer?

  public init(_ session: OpaquePointer, err: OpaquePointer?) throws(PluginError) {
    guard let table = SizedTable.copy(PluginHost.session, EQP_HostSessionApi()) else {
      throw PluginError(.abiMismatch, "the host offers no session API (was init called?)")
    }
    self.session = session
    self.table = table
    self.err = err
  }

  public var batchSize: Int64 { table.batch_size(session) }

  /// The session's dtype (EQP_DTYPE_F32 or _F64).
  public var dtype: UInt32 { table.dtype(session) }

  /// A uniform number in [0, 1) from the session's seeded stream.
  public func uniform() -> Double {
    guard let rng = table.rng(session) else { return 0 }
    return PluginHost.rng?.pointee.uniform(rng) ?? 0
  }

  /// Zeroed state buffers for the batch, released by the session at its end.
  public func makeStates() throws(PluginError) -> OpaquePointer {
    var set: OpaquePointer?
    try PluginError.check(table.states_create(session, &set, err), "session.states_create")
    guard let set else { throw PluginError(.internal, "session.states_create returned no set") }
    return set
  }

  public func copy(_ source: OpaquePointer, to destination: OpaquePointer) throws(PluginError) {
    try PluginError.check(table.set_copy(session, destination, source, err), "session.set_copy")
  }

  /// Zeroed gradient buffers shaped like θ, released by the session at its end.
  public func makeGrads() throws(PluginError) -> OpaquePointer {
    var set: OpaquePointer?
    try PluginError.check(table.grads_create(session, &set, err), "session.grads_create")
    guard let set else { throw PluginError(.internal, "session.grads_create returned no set") }
    return set
  }

  /// The tensors of a set, valid as long as the set.
  public func tensors(_ set: OpaquePointer) -> UnsafeMutableBufferPointer<EQP_Tensor> {
    var count = 0
    let base = table.set_tensors(set, &count)
    return UnsafeMutableBufferPointer(start: base, count: base == nil ? 0 : count)
  }

  public func zero(_ set: OpaquePointer) throws(PluginError) {
    try PluginError.check(table.set_zero(session, set, err), "session.set_zero")
  }

  /// grad_states (and grad_params, if given) += coeff·∂ℓ/∂(s, θ) at `states`.
  public func costGrad(
    _ states: OpaquePointer, coeff: Double, gradStates: OpaquePointer, gradParams: OpaquePointer?
  ) throws(PluginError) {
    try PluginError.check(
      table.cost_grad(session, states, coeff, gradStates, gradParams, err), "session.cost_grad")
  }

  /// cot_before = (∂s_{t+1}/∂s_t)ᵀ cot_after; cot_params += (∂s_{t+1}/∂θ)ᵀ cot_after.
  public func stepVjp(
    before: OpaquePointer, after: OpaquePointer, beta: Double, cotAfter: OpaquePointer,
    cotBefore: OpaquePointer, cotParams: OpaquePointer?
  ) throws(PluginError) {
    try PluginError.check(
      table.step_vjp(session, before, after, beta, cotAfter, cotBefore, cotParams, err),
      "session.step_vjp")
  }

  /// Runs the session's dynamics on `states`; steps 0 is the configured free phase.
  /// `onStep` (capturing nothing) sees every step's states; `userData` is passed to it.
  @discardableResult
  public func relax(
    _ states: OpaquePointer, beta: Double, steps: Int64, start: Start,
    onStep: EQP_StepCallback? = nil, userData: UnsafeMutableRawPointer? = nil
  ) throws(PluginError) -> EQP_RunResult {
    var args = EQP_RelaxArgs()
    args.struct_size = Int(EQP_RelaxArgs_STRUCT_SIZE)
    args.states = states
    args.beta = beta
    args.steps = steps
    args.start = start.rawValue
    args.on_step = onStep
    args.user_data = userData
    var result = EQP_RunResult()
    result.struct_size = Int(EQP_RunResult_STRUCT_SIZE)
    try PluginError.check(table.relax(session, &args, &result, err), "session.relax")
    return result
  }

  /// grads += coeff·Σ_batch ∂Φ/∂θ(states).
  public func paramGrad(_ states: OpaquePointer, coeff: Double, into grads: OpaquePointer?) throws(PluginError) {
    try PluginError.check(table.param_grad(session, states, coeff, grads, err), "session.param_grad")
  }

  /// θ ← θ − scale·η_group·grads now, with the host's optimizer (continual learners).
  public func applyUpdate(_ grads: OpaquePointer, scale: Double) throws(PluginError) {
    try PluginError.check(table.apply_update(session, grads, scale, err), "session.apply_update")
  }

  /// grads += coeff·Σ_b Δθ(before → after) under the model's local rule for one step of a
  /// second phase (ABI 1.1; the plugin must require host minor 1).
  public func stepUpdate(
    before: OpaquePointer, after: OpaquePointer, coeff: Double, into grads: OpaquePointer
  ) throws(PluginError) {
    guard let stepUpdate = table.step_update else {
      throw PluginError(.abiMismatch, "session.step_update needs a host of ABI 1.1 or newer")
    }
    try PluginError.check(stepUpdate(session, before, after, coeff, grads, err), "session.step_update")
  }

  /// θ ← θ − scale·η_group·coeff·Σ_b Δθ(before → after) now: `stepUpdate` into a zeroed set
  /// and `applyUpdate` of it, as one host call that a model without optimizer state applies
  /// in place (ABI 1.2; the plugin must require host minor 2).
  public func applyStep(
    before: OpaquePointer, after: OpaquePointer, coeff: Double, scale: Double
  ) throws(PluginError) {
    guard let applyStep = table.apply_step else {
      throw PluginError(
        .abiMismatch,
        "session.apply_step needs a host of ABI 1.2 or newer (this host's session table ends at "
          + "struct_size \(table.struct_size)): update eqprop")
    }
    try PluginError.check(applyStep(session, before, after, coeff, scale, err), "session.apply_step")
  }

  /// Records a scalar for this batch; the host averages it over the epoch.
  public func logMetric(_ name: String, _ value: Double) throws(PluginError) {
    try PluginError.check(name.withCString { table.log_metric(session, $0, value, err) }, "session.log_metric")
  }

  /// The batch's summed loss and error count at `states`.
  public func evaluate(_ states: OpaquePointer) throws(PluginError) -> (lossSum: Double, errors: Int64) {
    var loss = 0.0
    var errors: Int64 = 0
    try PluginError.check(table.evaluate(session, states, &loss, &errors, err), "session.evaluate")
    return (loss, errors)
  }
}
