@preconcurrency import CEqprop

/// `host->model`: the host's forwarders to the bound model, for dynamics and learners.
/// Optional functions the model lacks answer EQP_ERR_UNSUPPORTED with a sentence.
enum ModelApi {
  static func make() -> EQP_HostModelApi {
    var table = EQP_HostModelApi()
    table.struct_size = Int(EQP_HostModelApi_STRUCT_SIZE)
    table.layout = { handle in handle.map { UnsafePointer(ModelBinding.from($0).layout) } }
    table.capabilities = { handle in handle.map { ModelBinding.from($0).capabilities } ?? 0 }
    table.prepare = { handle, eval, err in
      ModelApi.forward(handle, err) { $0.vtable.prepare($0.instance, eval, err) }
    }
    table.drive = { handle, eval, out, err in
      ModelApi.forward(handle, err) { $0.vtable.drive($0.instance, eval, out, err) }
    }
    table.param_grad = { handle, eval, coeff, grads, err in
      ModelApi.forward(handle, err) { $0.vtable.param_grad($0.instance, eval, coeff, grads, err) }
    }
    table.cost = { handle, eval, perExample, err in
      ModelApi.forward(handle, err) { $0.vtable.cost($0.instance, eval, perExample, err) }
    }
    table.cost_grad = { handle, eval, coeff, gradStates, gradParams, err in
      ModelApi.forward(handle, err) { $0.vtable.cost_grad($0.instance, eval, coeff, gradStates, gradParams, err) }
    }
    table.predict = { handle, eval, scores, err in
      ModelApi.forward(handle, err) { $0.vtable.predict($0.instance, eval, scores, err) }
    }
    table.vjp = { handle, eval, cotOut, cotStates, cotParams, err in
      ModelApi.forward(handle, err) { model in
        guard let vjp = model.vtable.vjp else { return ModelApi.unsupported(model, "vjp", err) }
        return vjp(model.instance, eval, cotOut, cotStates, cotParams, err)
      }
    }
    table.phi = { handle, eval, perExample, err in
      ModelApi.forward(handle, err) { model in
        guard let phi = model.vtable.phi else { return ModelApi.unsupported(model, "phi", err) }
        return phi(model.instance, eval, perExample, err)
      }
    }
    table.step_update = { handle, eval, after, coeff, grads, err in
      ModelApi.forward(handle, err) { $0.stepUpdate(eval, after: after, coeff: coeff, grads: grads, err: err) }
    }
    return table
  }

  private static func forward(
    _ handle: OpaquePointer?, _ err: OpaquePointer?, _ body: (ModelBinding) -> EQP_Status
  ) -> EQP_Status {
    guard let handle else {
      let code = EQP_Status(EQP_ERR_INVALID_ARGUMENT)
      if let err { ErrorSink.from(err).set(code, "host.model: the model handle is NULL") }
      return code
    }
    return body(ModelBinding.from(handle))
  }

  private static func unsupported(_ model: ModelBinding, _ call: String, _ err: OpaquePointer?) -> EQP_Status {
    let code = EQP_Status(EQP_ERR_UNSUPPORTED)
    if let err { ErrorSink.from(err).set(code, "model '\(model.plugin.id)' does not implement \(call)") }
    return code
  }
}
