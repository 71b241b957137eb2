@preconcurrency import CEqprop
import EqpropPluginSDK

/// The model vtable of `hopfield`: C closures that unbox the instance, check their
/// arguments and call the network.
enum HopfieldVTable {
  static func make() -> EQP_ModelVTable {
    var table = EQP_ModelVTable()
    table.struct_size = Int(EQP_ModelVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else {
          throw PluginError(.invalidArgument, "hopfield.create: args or out is NULL")
        }
        out.pointee = InstanceBox.retain(try HopfieldNetwork(args.pointee, err: err))
      }
    }
    table.destroy = { model in InstanceBox.release(model, as: HopfieldNetwork.self) }
    table.describe = { model, out, err in
      guard let network = InstanceBox.object(model, as: HopfieldNetwork.self), let out else {
        return fail(err, .invalidArgument, "hopfield.describe: model or out is NULL")
      }
      OutStruct.write(network.layout, to: out)
      return Status.ok.rawValue
    }
    table.init_params = { model, params, count, rng, err in
      HopfieldVTable.withNetwork(model, err, "init_params") { network, _ throws(PluginError) in
        guard let params else {
          throw PluginError(.invalidArgument, "hopfield.init_params: params is NULL")
        }
        try network.initParams(params, count: count, rng: rng, err: err)
      }
    }
    table.workspace_create = { model, batch, dtype, out, err in
      HopfieldVTable.withNetwork(model, err, "workspace_create") { network, _ throws(PluginError) in
        guard let out, batch > 0, dtype == network.dtype else {
          throw PluginError(
            .invalidArgument,
            "hopfield.workspace_create: needs out, a batch > 0 (got \(batch)) and the model's "
              + "dtype \(network.dtype) (got \(dtype))")
        }
        out.pointee = InstanceBox.retain(
          try HopfieldWorkspace(network: network, batch: Int(batch), err: err))
      }
    }
    table.workspace_destroy = { _, workspace in
      InstanceBox.release(workspace, as: HopfieldWorkspace.self)
    }
    table.prepare = { model, ev, err in
      HopfieldVTable.withNetwork(model, err, "prepare") { network, kernel throws(PluginError) in
        try network.prepare(network.eval(ev, "hopfield.prepare", needsStates: false), kernel)
      }
    }
    table.drive = { model, ev, out, err in
      HopfieldVTable.withNetwork(model, err, "drive") { network, kernel throws(PluginError) in
        guard let out else { throw PluginError(.invalidArgument, "hopfield.drive: out is NULL") }
        try network.drive(network.eval(ev, "hopfield.drive"), out: out, kernel)
      }
    }
    table.param_grad = { model, ev, coeff, grads, err in
      HopfieldVTable.withNetwork(model, err, "param_grad") { network, kernel throws(PluginError) in
        guard let grads else {
          throw PluginError(.invalidArgument, "hopfield.param_grad: grads is NULL")
        }
        try network.paramGrad(
          network.eval(ev, "hopfield.param_grad"), coeff: coeff, grads: grads, kernel)
      }
    }
    table.cost = { model, ev, perExample, err in
      HopfieldVTable.withNetwork(model, err, "cost") { network, kernel throws(PluginError) in
        guard let perExample else {
          throw PluginError(.invalidArgument, "hopfield.cost: per_example is NULL")
        }
        try network.cost(
          network.eval(ev, "hopfield.cost", needsTarget: true), perExample: perExample, kernel)
      }
    }
    table.cost_grad = { model, ev, coeff, gradStates, _, err in
      HopfieldVTable.withNetwork(model, err, "cost_grad") { network, kernel throws(PluginError) in
        guard let gradStates else {
          throw PluginError(.invalidArgument, "hopfield.cost_grad: grad_states is NULL")
        }
        // ℓ does not depend on θ: grad_params, when given, receives nothing.
        try network.costGrad(
          network.eval(ev, "hopfield.cost_grad", needsTarget: true), coeff: coeff,
          gradStates: gradStates, kernel)
      }
    }
    table.predict = { model, ev, scores, err in
      HopfieldVTable.withNetwork(model, err, "predict") { network, kernel throws(PluginError) in
        guard let scores else {
          throw PluginError(.invalidArgument, "hopfield.predict: scores is NULL")
        }
        try network.predict(network.eval(ev, "hopfield.predict"), scores: scores, kernel)
      }
    }
    table.vjp = { model, ev, cotOut, cotStates, cotParams, err in
      HopfieldVTable.withNetwork(model, err, "vjp") { network, kernel throws(PluginError) in
        guard let cotOut, let cotStates else {
          throw PluginError(.invalidArgument, "hopfield.vjp: cot_out or cot_states is NULL")
        }
        try network.vjp(
          network.eval(ev, "hopfield.vjp"), cotOut: cotOut, cotStates: cotStates,
          cotParams: cotParams, kernel)
      }
    }
    table.phi = { model, ev, perExample, err in
      HopfieldVTable.withNetwork(model, err, "phi") { network, kernel throws(PluginError) in
        guard let perExample else {
          throw PluginError(.invalidArgument, "hopfield.phi: per_example is NULL")
        }
        try network.phi(network.eval(ev, "hopfield.phi"), perExample: perExample, kernel)
      }
    }
    return table
  }

  /// Unboxes the network, builds its kernel calls and maps a thrown error to a status.
  private static func withNetwork(
    _ model: OpaquePointer?, _ err: OpaquePointer?, _ call: StaticString,
    _ body: (HopfieldNetwork, KernelCalls) throws(PluginError) -> Void
  ) -> EQP_Status {
    catchingStatus(err) { () throws(PluginError) in
      guard let network = InstanceBox.object(model, as: HopfieldNetwork.self) else {
        throw PluginError(.invalidArgument, "hopfield.\(call): model is NULL")
      }
      try body(network, try KernelCalls(dtype: network.dtype, err: err))
    }
  }
}
