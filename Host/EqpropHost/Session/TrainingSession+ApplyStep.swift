@preconcurrency import CEqprop

extension TrainingSession {
  /// Whether `applyStep` hands the step to the model: the optimizer keeps no state (so the
  /// step is −η·scale·g whatever came before) and this model instance has apply_step.
  /// Not when each step is summed over ranks first: the sum must exist as a set.
  var fusesSteps: Bool {
    fusedStepsAllowed && optimizer.keepsNoState && model.appliesSteps && !reducesEveryStep
  }

  /// θ ← θ − scale·η_group·coeff·Σ_b Δθ(before → after), θ's cached terms brought up to date
  /// (`session->apply_step`, ABI 1.2). Defined as step_update into a zeroed set followed by
  /// apply_update of that set, which is what runs when the model cannot apply the step
  /// itself; the fused path differs from it by rounding only.
  func applyStep(
    before: TensorSet, after: TensorSet, coeff: Double, scale: Double, err: OpaquePointer?
  ) -> EQP_Status {
    guard fusesSteps else {
      return materialisedStep(before: before, after: after, coeff: coeff, scale: scale, err: err)
    }
    // The optimizer moves θ by −rate·g with g = coeff·Δ: as the model's θ += rates·Δ, the
    // rates carry the minus sign.
    if stepRates.count != parameters.count { stepRates = [Double](repeating: 0, count: parameters.count) }
    for index in stepRates.indices { stepRates[index] = -optimizer.rate(index, scale: scale) * coeff }
    let status = stepRates.withUnsafeBufferPointer { rates in
      guard let rates = rates.baseAddress else { return EQP_Status(EQP_OK) }
      return withEval(before) { eval in
        model.applyStep(eval, after: UnsafePointer(after.views), rates: rates, params: parameters.views, err: err)
      }
    }
    guard status == EQP_Status(EQP_OK) else { return status }
    // The model wrote θ itself, so a NaN or Inf there is its call's. θ is checked once, at the
    // batch's end (trainBatch): a pass over θ at each of C-EP's steps cost 8 % of its time.
    updates += 1
    stepsAppliedByModel += 1
    return EQP_Status(EQP_OK)
  }

  /// step_update into the session's scratch set, then the optimizer and prepare.
  private func materialisedStep(
    before: TensorSet, after: TensorSet, coeff: Double, scale: Double, err: OpaquePointer?
  ) -> EQP_Status {
    let scratch: TensorSet
    if let stepScratch {
      scratch = stepScratch
    } else {
      do {
        scratch = try TensorSet(dtype: config.dtype, shapes: model.parameterShapes)
      } catch {
        let code = EQP_Status(EQP_ERR_OUT_OF_MEMORY)
        if let err { ErrorSink.from(err).set(code, "session.apply_step: \(error.message)") }
        return code
      }
      stepScratch = scratch
    }
    scratch.zero()
    let status = stepUpdate(before: before, after: after, coeff: coeff, grads: scratch, err: err)
    guard status == EQP_Status(EQP_OK) else { return status }
    return applyUpdate(scratch, scale: scale, call: "session.apply_step", err: err)
  }
}
