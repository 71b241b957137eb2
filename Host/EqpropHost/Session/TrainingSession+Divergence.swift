@preconcurrency import CEqprop

/// The NaN/Inf checks behind `Divergence`: one pass over the states a relaxation left, or
/// over θ after a change, which is little beside the relaxation or update that precedes it.
/// Each path that changes states or θ ends in one: relaxations (training and evaluation),
/// apply_update, the host's update at a batch's end, and hooks given θ. Steps a model applies
/// itself (apply_step) are checked at the batch's end, or first when states go bad.
extension TrainingSession {
  /// Checks the states a relaxation at `beta` left after `steps` steps; on NaN or Inf records
  /// the divergence, with the dynamics at fault, and throws it.
  func checkStates(_ states: TensorSet, beta: Double, steps: Int64) throws(PluginFailure) {
    let phase = beta == 0 ? "the free phase" : "a nudged phase at β = \(beta)"
    let length = steps == 1 ? "1 step" : "\(steps) steps"
    if stepsAppliedByModel > 0, try firstNonFinite(states) != nil {
      // θ the model wrote since the last check may be the cause: it is named first.
      try checkParameters(
        culprit: Self.name(model.plugin),
        event: "with the first \(updates) updates of the batch (its apply_step, called by "
          + "\(Self.name(learner.plugin)))")
    }
    try checkFinite(
      states, names: model.layers.map { "layer " + $0.name }, culprit: Self.name(dynamics.plugin),
      event: "at the end of \(phase) (relaxation \(relaxations) of the batch, \(length))")
  }

  /// Checks θ after `culprit` changed it by `event`; on NaN or Inf records the divergence and
  /// throws it.
  func checkParameters(culprit: String, event: String) throws(PluginFailure) {
    try checkFinite(
      parameters, names: model.parameters.map { "θ tensor " + $0.name }, culprit: culprit,
      event: event)
  }

  /// Refuses a θ that `init_params` left with NaN or Inf: that is the model's fault, before
  /// any training.
  func checkInitialParameters() throws(PluginFailure) {
    guard let (index, bad) = try firstNonFinite(parameters) else { return }
    throw PluginCall.failure(
      model.plugin, "init_params",
      "it left \(bad) non-finite values (NaN or Inf) in θ tensor \(model.parameters[index].name); "
        + "θ must start finite")
  }

  /// A check's outcome as the status a plugin's call returns: EQP_ERR_NUMERIC with the
  /// divergence's sentence in `err`, or EQP_ERR_INTERNAL when the check itself failed.
  func statusOf(_ err: OpaquePointer?, _ check: () throws(PluginFailure) -> Void) -> EQP_Status {
    do {
      try check()
      return EQP_Status(EQP_OK)
    } catch {
      let code = EQP_Status(divergence == nil ? EQP_ERR_INTERNAL : EQP_ERR_NUMERIC)
      if let err { ErrorSink.from(err).set(code, error.message) }
      return code
    }
  }

  /// "dynamics 'discrete'": a plugin as a divergence names it.
  static func name(_ plugin: PluginRecord) -> String { "\(plugin.kind.name) '\(plugin.id)'" }

  private func checkFinite(_ set: TensorSet, names: [String], culprit: String, event: String)
    throws(PluginFailure)
  {
    guard let (index, bad) = try firstNonFinite(set) else { return }
    let found = Divergence(
      culprit: culprit, event: event, tensor: index < names.count ? names[index] : "#\(index)",
      count: bad, stage: stage)
    // The first one found is the cause; a learner may go on calling after it.
    if divergence == nil { divergence = found }
    throw PluginFailure(found.description)
  }

  /// The first tensor of `set` holding NaN or Inf, and how many it holds.
  private func firstNonFinite(_ set: TensorSet) throws(PluginFailure) -> (Int, Int64)? {
    for index in 0..<set.count {
      let bad = try kernel.countNonFinite(set.elementCount(index), set.data(index))
      if bad > 0 { return (index, bad) }
    }
    return nil
  }
}
