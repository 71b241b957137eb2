@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `dense` model: the layered prototypical network of Ernoult et al. 2019 (spec §2.2),
/// F_l = σ(W_{l,l+1}s_{l+1} + b_l + W_{l−1,l}ᵀs_{l−1}), input raw, σ outside ∂Φ.
enum DenseModel {
  static let options: [OptionDescription] = [
    OptionDescription(
      "layers", .intList, default: nil,
      doc: "sizes from the output to the input, e.g. [10, 512, 784]", min: 1),
    OptionDescription(
      "activation", .string, default: "sigm",
      doc: "σ: sigm (1/(1+e^{−4(a−½)})), hardsigm, sigmoid, tanh or identity"),
  ]

  static var description: PluginDescription {
    var table = EQP_ModelVTable()
    table.struct_size = Int(EQP_ModelVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else { throw PluginError(.invalidArgument, "dense.create: args or out is NULL") }
        out.pointee = InstanceBox.retain(try DenseNetwork(args.pointee, err: err))
      }
    }
    table.destroy = { model in InstanceBox.release(model, as: DenseNetwork.self) }
    table.describe = { model, out, err in
      guard let network = InstanceBox.object(model, as: DenseNetwork.self), let out else {
        return fail(err, .invalidArgument, "dense.describe: model or out is NULL")
      }
      OutStruct.write(network.layout, to: out)
      return Status.ok.rawValue
    }
    table.init_params = { model, params, count, rng, err in
      DenseModel.withNetwork(model, err, "init_params") { network, _ throws(PluginError) in
        guard let params else { throw PluginError(.invalidArgument, "dense.init_params: params is NULL") }
        try network.initParams(params, count: count, rng: rng, err: err)
      }
    }
    table.workspace_create = { model, batch, dtype, out, err in
      DenseModel.withNetwork(model, err, "workspace_create") { network, _ throws(PluginError) in
        guard let out, batch > 0, dtype == network.dtype else {
          throw PluginError(
            .invalidArgument,
            "dense.workspace_create: needs out, a batch > 0 (got \(batch)) and the model's dtype")
        }
        out.pointee = InstanceBox.retain(try DenseWorkspace(network: network, batch: Int(batch), err: err))
      }
    }
    table.workspace_destroy = { _, workspace in InstanceBox.release(workspace, as: DenseWorkspace.self) }
    table.prepare = { model, ev, err in
      DenseModel.withNetwork(model, err, "prepare") { network, kernel throws(PluginError) in
        try network.prepare(network.eval(ev, "dense.prepare", needsStates: false), kernel)
      }
    }
    table.drive = { model, ev, out, err in
      DenseModel.withNetwork(model, err, "drive") { network, kernel throws(PluginError) in
        guard let out else { throw PluginError(.invalidArgument, "dense.drive: out is NULL") }
        try network.drive(network.eval(ev, "dense.drive"), out: out, kernel)
      }
    }
    table.param_grad = { model, ev, coeff, grads, err in
      DenseModel.withNetwork(model, err, "param_grad") { network, kernel throws(PluginError) in
        guard let grads else { throw PluginError(.invalidArgument, "dense.param_grad: grads is NULL") }
        try network.paramGrad(network.eval(ev, "dense.param_grad"), coeff: coeff, grads: grads, kernel)
      }
    }
    table.cost = { model, ev, perExample, err in
      DenseModel.withNetwork(model, err, "cost") { network, kernel throws(PluginError) in
        guard let perExample else { throw PluginError(.invalidArgument, "dense.cost: per_example is NULL") }
        try network.cost(network.eval(ev, "dense.cost", needsTarget: true), perExample: perExample, kernel)
      }
    }
    table.cost_grad = { model, ev, coeff, gradStates, _, err in
      DenseModel.withNetwork(model, err, "cost_grad") { network, kernel throws(PluginError) in
        guard let gradStates else { throw PluginError(.invalidArgument, "dense.cost_grad: grad_states is NULL") }
        try network.costGrad(
          network.eval(ev, "dense.cost_grad", needsTarget: true), coeff: coeff,
          gradStates: gradStates, kernel)
      }
    }
    table.predict = { model, ev, scores, err in
      DenseModel.withNetwork(model, err, "predict") { network, kernel throws(PluginError) in
        guard let scores else { throw PluginError(.invalidArgument, "dense.predict: scores is NULL") }
        try network.predict(network.eval(ev, "dense.predict"), scores: scores, kernel)
      }
    }
    table.vjp = { model, ev, cotOut, cotStates, cotParams, err in
      DenseModel.withNetwork(model, err, "vjp") { network, kernel throws(PluginError) in
        guard let cotOut, let cotStates else {
          throw PluginError(.invalidArgument, "dense.vjp: cot_out or cot_states is NULL")
        }
        try network.vjp(
          network.eval(ev, "dense.vjp"), cotOut: cotOut, cotStates: cotStates,
          cotParams: cotParams, kernel)
      }
    }
    table.phi = { model, ev, perExample, err in
      DenseModel.withNetwork(model, err, "phi") { network, kernel throws(PluginError) in
        guard let perExample else { throw PluginError(.invalidArgument, "dense.phi: per_example is NULL") }
        try network.phi(network.eval(ev, "dense.phi"), perExample: perExample, kernel)
      }
    }
    return PluginDescription(
      kind: .model, id: "dense", displayName: "Dense prototypical network", version: "1.0.0",
      capabilities: UInt64(EQP_MODEL_CAP_PHI | EQP_MODEL_CAP_VJP | EQP_MODEL_CAP_F64),
      vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "Layered network of the prototypical setting (Ernoult et al. 2019): "
        + "s_l ← σ(W_{l,l+1}s_{l+1} + b_l + W_{l−1,l}ᵀs_{l−1}), raw input, cost ½‖s_0 − y‖².",
      options: options)
  }

  /// Unboxes the network, builds its kernel calls and maps thrown errors to a status.
  fileprivate static func withNetwork(
    _ model: OpaquePointer?, _ err: OpaquePointer?, _ call: String,
    _ body: (DenseNetwork, KernelCalls) throws(PluginError) -> Void
  ) -> EQP_Status {
    catchingStatus(err) { () throws(PluginError) in
      guard let network = InstanceBox.object(model, as: DenseNetwork.self) else {
        throw PluginError(.invalidArgument, "dense.\(call): model is NULL")
      }
      try body(network, try KernelCalls(dtype: network.dtype, err: err))
    }
  }
}
