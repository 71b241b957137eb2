@preconcurrency import CEqprop

/// `host->session`: what a learner may do during a minibatch.
enum SessionApi {
  static func make() -> EQP_HostSessionApi {
    var table = EQP_HostSessionApi()
    table.struct_size = Int(EQP_HostSessionApi_STRUCT_SIZE)
    table.model = { session in session.map { TrainingSession.from($0).model.pointer } }
    table.batch_size = { session in session.map { Int64(TrainingSession.from($0).batchSize) } ?? 0 }
    table.dtype = { session in session.map { TrainingSession.from($0).config.dtype } ?? 0 }
    table.rng = { session in session.map { TrainingSession.from($0).rng.pointer } }
    table.params = { session in session.map { TrainingSession.from($0).parametersPointer } }
    table.states_create = { session, out, err in
      SessionApi.with(session, err) { $0.states(out: out, err: err) }
    }
    table.grads_create = { session, out, err in
      SessionApi.with(session, err) { $0.grads(out: out, err: err) }
    }
    table.set_destroy = { session, set in
      guard let session, let set else { return }
      TrainingSession.from(session).destroy(set)
    }
    table.set_tensors = { set, count in
      guard let set else {
        count?.pointee = 0
        return nil
      }
      let tensors = TensorSet.from(set)
      count?.pointee = tensors.count
      return tensors.views
    }
    table.set_copy = { session, destination, source, err in
      SessionApi.with(session, err) { _ in
        guard let destination, let source else { return SessionApi.refuse(err, "set_copy: a set is NULL") }
        do throws(PluginFailure) {
          try TensorSet.from(destination).copy(from: TensorSet.from(source))
          return EQP_Status(EQP_OK)
        } catch {
          return SessionApi.refuse(err, error.message)
        }
      }
    }
    table.set_zero = { session, set, err in
      SessionApi.with(session, err) { _ in
        guard let set else { return SessionApi.refuse(err, "set_zero: the set is NULL") }
        TensorSet.from(set).zero()
        return EQP_Status(EQP_OK)
      }
    }
    table.relax = { session, args, out, err in
      SessionApi.with(session, err) { training in
        guard let args else { return SessionApi.refuse(err, "relax: args is NULL") }
        let raw = ForeignStruct<EQP_RelaxArgs>(UnsafeRawPointer(args))
        guard raw.size >= Int(EQP_RelaxArgs_STRUCT_SIZE) else {
          return SessionApi.refuse(err, "relax: EQP_RelaxArgs.struct_size is \(raw.size), below \(EQP_RelaxArgs_STRUCT_SIZE)")
        }
        return training.relax(raw.zeroExtendedCopy(EQP_RelaxArgs()), out, err)
      }
    }
    table.param_grad = { session, states, coeff, grads, err in
      SessionApi.with(session, err) { training in
        guard let states, let grads else { return SessionApi.refuse(err, "param_grad: states or grads is NULL") }
        return training.paramGrad(TensorSet.from(states), coeff, TensorSet.from(grads), err)
      }
    }
    table.cost_grad = { session, states, coeff, gradStates, gradParams, err in
      SessionApi.with(session, err) { training in
        guard let states, let gradStates else { return SessionApi.refuse(err, "cost_grad: states or grad_states is NULL") }
        return training.costGrad(
          TensorSet.from(states), coeff, TensorSet.from(gradStates), gradParams.map { TensorSet.from($0) }, err)
      }
    }
    table.step_vjp = { session, before, after, beta, cotAfter, cotBefore, cotParams, err in
      SessionApi.with(session, err) { training in
        guard let before, let after, let cotAfter, let cotBefore else {
          return SessionApi.refuse(err, "step_vjp: before, after, cot_after or cot_before is NULL")
        }
        return training.stepVjp(
          before: TensorSet.from(before), after: TensorSet.from(after), beta: beta,
          cotAfter: TensorSet.from(cotAfter), cotBefore: TensorSet.from(cotBefore),
          cotParams: cotParams.map { TensorSet.from($0) }, err: err)
      }
    }
    table.step_update = { session, before, after, coeff, grads, err in
      SessionApi.with(session, err) { training in
        guard let before, let after, let grads else {
          return SessionApi.refuse(err, "step_update: before, after or grads is NULL")
        }
        return training.stepUpdate(
          before: TensorSet.from(before), after: TensorSet.from(after), coeff: coeff,
          grads: TensorSet.from(grads), err: err)
      }
    }
    table.apply_step = { session, before, after, coeff, scale, err in
      SessionApi.with(session, err) { training in
        guard let before, let after else { return SessionApi.refuse(err, "apply_step: before or after is NULL") }
        return training.applyStep(
          before: TensorSet.from(before), after: TensorSet.from(after), coeff: coeff, scale: scale, err: err)
      }
    }
    table.apply_update = { session, grads, scale, err in
      SessionApi.with(session, err) { training in
        guard let grads else { return SessionApi.refuse(err, "apply_update: grads is NULL") }
        return training.applyUpdate(
          TensorSet.from(grads), scale: scale, call: "session.apply_update", err: err)
      }
    }
    table.evaluate = { session, states, loss, errors, err in
      SessionApi.with(session, err) { training in
        guard let states else { return SessionApi.refuse(err, "evaluate: states is NULL") }
        return training.evaluate(TensorSet.from(states), loss, errors, err)
      }
    }
    table.log_metric = { session, name, value, err in
      SessionApi.with(session, err) { training in
        guard let name else { return SessionApi.refuse(err, "log_metric: name is NULL") }
        training.logMetric(String(cString: name), value)
        return EQP_Status(EQP_OK)
      }
    }
    return table
  }

  private static func with(
    _ session: OpaquePointer?, _ err: OpaquePointer?, _ body: (TrainingSession) -> EQP_Status
  ) -> EQP_Status {
    guard let session else { return refuse(err, "the session handle is NULL") }
    return body(TrainingSession.from(session))
  }

  private static func refuse(_ err: OpaquePointer?, _ message: String) -> EQP_Status {
    let code = EQP_Status(EQP_ERR_INVALID_ARGUMENT)
    if let err { ErrorSink.from(err).set(code, "session.\(message)") }
    return code
  }
}
