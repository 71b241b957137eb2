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
    guard let table = PluginHost.session?.pointee else {
      throw PluginError(.abiMismatch, "the host offers no session API (was init called?)")
    }
    self.session = session
    self.table = table
    self.err = err
  }

  public var batchSize: Int64 { table.batch_size(session) }

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

  /// Runs the session's dynamics on `states`; steps 0 is the configured free phase.
  @discardableResult
  public func relax(_ states: OpaquePointer, beta: Double, steps: Int64, start: Start)
    throws(PluginError) -> EQP_RunResult
  {
    var args = EQP_RelaxArgs()
    args.struct_size = Int(EQP_RelaxArgs_STRUCT_SIZE)
    args.states = states
    args.beta = beta
    args.steps = steps
    args.start = start.rawValue
    var result = EQP_RunResult()
    result.struct_size = Int(EQP_RunResult_STRUCT_SIZE)
    try PluginError.check(table.relax(session, &args, &result, err), "session.relax")
    return result
  }

  /// grads += coeff·Σ_batch ∂Φ/∂θ(states).
  public func paramGrad(_ states: OpaquePointer, coeff: Double, into grads: OpaquePointer?) throws(PluginError) {
    try PluginError.check(table.param_grad(session, states, coeff, grads, err), "session.param_grad")
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
