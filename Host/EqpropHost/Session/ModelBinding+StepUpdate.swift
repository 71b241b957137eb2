@preconcurrency import CEqprop

extension ModelBinding {
  /// grads += coeff·Σ_b Δθ(s_t → s_{t+1}) with s_t in `eval` and s_{t+1} in `after`: the
  /// model's own step_update (ABI 1.1), or EP's increment Φ_θ(s_{t+1}) − Φ_θ(s_t) from two
  /// param_grad calls when the model has none (every 1.0 model).
  func stepUpdate(
    _ eval: UnsafePointer<EQP_ModelEval>?, after: UnsafePointer<EQP_Tensor>?, coeff: Double,
    grads: UnsafeMutablePointer<EQP_Tensor>?, err: OpaquePointer?
  ) -> EQP_Status {
    // The instance's capabilities decide: one plugin may offer the rule only in some modes.
    if capabilities & UInt64(EQP_MODEL_CAP_STEP_UPDATE) != 0, let stepUpdate = vtable.step_update {
      return stepUpdate(instance, eval, after, coeff, grads, err)
    }
    guard let eval, let after else {
      let code = EQP_Status(EQP_ERR_INVALID_ARGUMENT)
      if let err { ErrorSink.from(err).set(code, "host.model.step_update: eval or after is NULL") }
      return code
    }
    let before = vtable.param_grad(instance, eval, -coeff, grads, err)
    guard before == EQP_Status(EQP_OK) else { return before }
    var later = eval.pointee
    later.states = after
    return vtable.param_grad(instance, &later, coeff, grads, err)
  }
}
