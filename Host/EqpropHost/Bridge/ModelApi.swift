@preconcurrency import CEqprop

/// `host->model`: the host's forwarders to the bound model, for dynamics and learners.
/// Each checks its tensors against the layout before the model runs, and a failure names the
/// model and the call (`ModelBinding.call`). Optional functions the model lacks answer
/// EQP_ERR_UNSUPPORTED with a sentence.
enum ModelApi {
  static func make() -> EQP_HostModelApi {
    var table = EQP_HostModelApi()
    table.struct_size = Int(EQP_HostModelApi_STRUCT_SIZE)
    table.layout = { handle in handle.map { UnsafePointer(ModelBinding.from($0).layout) } }
    table.capabilities = { handle in handle.map { ModelBinding.from($0).capabilities } ?? 0 }
    table.prepare = { handle, eval, err in
      ModelApi.forward(handle, err, "prepare", { $0.evalProblem(eval, needsStates: false) }) {
        model, sink in model.vtable.prepare(model.instance, eval, sink)
      }
    }
    table.drive = { handle, eval, out, err in
      ModelApi.forward(
        handle, err, "drive",
        { $0.evalProblem(eval) ?? $0.tensorProblem("out", out, .states, eval: eval) }
      ) { model, sink in model.vtable.drive(model.instance, eval, out, sink) }
    }
    table.param_grad = { handle, eval, coeff, grads, err in
      ModelApi.forward(
        handle, err, "param_grad",
        { $0.evalProblem(eval) ?? $0.tensorProblem("grads", grads, .params, eval: eval) }
      ) { model, sink in model.vtable.param_grad(model.instance, eval, coeff, grads, sink) }
    }
    table.cost = { handle, eval, perExample, err in
      ModelApi.forward(
        handle, err, "cost", { $0.evalProblem(eval) ?? ModelApi.perExampleProblem(perExample) }
      ) { model, sink in model.vtable.cost(model.instance, eval, perExample, sink) }
    }
    table.cost_grad = { handle, eval, coeff, gradStates, gradParams, err in
      ModelApi.forward(
        handle, err, "cost_grad",
        {
          $0.evalProblem(eval) ?? $0.tensorProblem("grad_states", gradStates, .states, eval: eval)
            ?? $0.tensorProblem("grad_params", gradParams, .params, eval: eval, optional: true)
        }
      ) { model, sink in
        model.vtable.cost_grad(model.instance, eval, coeff, gradStates, gradParams, sink)
      }
    }
    table.predict = { handle, eval, scores, err in
      ModelApi.forward(
        handle, err, "predict",
        { $0.evalProblem(eval) ?? $0.tensorProblem("scores", scores, .classes, eval: eval) }
      ) { model, sink in model.vtable.predict(model.instance, eval, scores, sink) }
    }
    table.vjp = { handle, eval, cotOut, cotStates, cotParams, err in
      ModelApi.forward(
        handle, err, "vjp",
        {
          $0.evalProblem(eval) ?? $0.tensorProblem("cot_out", cotOut, .states, eval: eval)
            ?? $0.tensorProblem("cot_states", cotStates, .states, eval: eval)
            ?? $0.tensorProblem("cot_params", cotParams, .params, eval: eval, optional: true)
        }
      ) { model, sink in
        guard let vjp = model.vtable.vjp else { return ModelApi.unsupported("vjp", sink) }
        return vjp(model.instance, eval, cotOut, cotStates, cotParams, sink)
      }
    }
    table.phi = { handle, eval, perExample, err in
      ModelApi.forward(
        handle, err, "phi", { $0.evalProblem(eval) ?? ModelApi.perExampleProblem(perExample) }
      ) { model, sink in
        guard let phi = model.vtable.phi else { return ModelApi.unsupported("phi", sink) }
        return phi(model.instance, eval, perExample, sink)
      }
    }
    table.step_update = { handle, eval, after, coeff, grads, err in
      ModelApi.forward(
        handle, err, "step_update",
        {
          $0.evalProblem(eval) ?? $0.tensorProblem("after", after, .states, eval: eval)
            ?? $0.tensorProblem("grads", grads, .params, eval: eval)
        }
      ) { model, sink in
        model.stepUpdate(eval, after: after, coeff: coeff, grads: grads, err: sink)
      }
    }
    return table
  }

  /// Checks the handle and the arguments, then runs `body` through `ModelBinding.call`.
  private static func forward(
    _ handle: OpaquePointer?, _ err: OpaquePointer?, _ call: String,
    _ problem: (ModelBinding) -> String?, _ body: (ModelBinding, OpaquePointer) -> EQP_Status
  ) -> EQP_Status {
    guard let handle else {
      let code = EQP_Status(EQP_ERR_INVALID_ARGUMENT)
      if let err { ErrorSink.from(err).set(code, "host.model.\(call): the model handle is NULL") }
      return code
    }
    let model = ModelBinding.from(handle)
    return model.call(call, err, refusing: problem(model)) { body(model, $0) }
  }

  /// The per-example output of cost and phi: its length (ev->batch) cannot be checked.
  private static func perExampleProblem(_ perExample: UnsafeMutablePointer<Double>?) -> String? {
    perExample == nil ? "per_example is NULL" : nil
  }

  private static func unsupported(_ call: String, _ err: OpaquePointer) -> EQP_Status {
    let code = EQP_Status(EQP_ERR_UNSUPPORTED)
    ErrorSink.from(err).set(code, "the model does not implement \(call) (its vtable entry is NULL)")
    return code
  }
}
