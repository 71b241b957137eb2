@preconcurrency import CEqprop

extension ModelBinding {
  /// Whether this instance applies a step's update to θ itself (ABI 1.2). The instance's
  /// capabilities decide, as for step_update: one plugin may offer it only in some modes.
  var appliesSteps: Bool {
    capabilities & UInt64(EQP_MODEL_CAP_APPLY_STEP) != 0 && vtable.apply_step != nil
  }

  /// θ_k += rates[k]·Σ_b Δθ_k(s_t → s_{t+1}) in place through the model's apply_step, which
  /// also brings its cached input terms up to date (no prepare afterwards).
  func applyStep(
    _ eval: UnsafePointer<EQP_ModelEval>, after: UnsafePointer<EQP_Tensor>, rates: UnsafePointer<Double>,
    params: UnsafeMutablePointer<EQP_Tensor>, err: OpaquePointer?
  ) -> EQP_Status {
    let problem = evalProblem(eval) ?? tensorProblem("after", after, .states, eval: eval)
    return call("apply_step", err, refusing: problem) { sink in
      guard appliesSteps, let applyStep = vtable.apply_step else {
        let code = EQP_Status(EQP_ERR_UNSUPPORTED)
        ErrorSink.from(sink).set(code, "the model does not implement apply_step")
        return code
      }
      return applyStep(instance, eval, after, rates, params, sink)
    }
  }
}
