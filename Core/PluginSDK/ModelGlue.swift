@preconcurrency import CEqprop

/// Builds the C vtable of a model plugin from a `ModelNetwork` factory.
///
/// C function pointers cannot capture the network's type, so the glue keeps the factory in a
/// per-library slot (each plugin library links its own copy of the SDK) and boxes every
/// instance as `any ModelNetwork`. One model plugin per library.
public enum ModelGlue {
  public typealias Factory = (EQP_ModelCreateArgs, OpaquePointer?) throws(PluginError) -> any ModelNetwork

  // Written once while the library describes itself (before the host can call create),
  // then only read.
  nonisolated(unsafe) private static var factory: Factory?
  nonisolated(unsafe) private static var builtTable: UnsafeRawPointer?

  /// The vtable for networks made by `factory`, in permanent storage; the optional entries
  /// (vjp, phi, step_update, apply_step) are set where `capabilities` promise them. Made at the
  /// first call: a library describes its one model, however often it computes that description.
  public static func vtable(capabilities: UInt64, _ factory: @escaping Factory) -> UnsafeRawPointer {
    if let builtTable { return builtTable }
    Self.factory = factory
    var table = EQP_ModelVTable()
    table.struct_size = Int(EQP_ModelVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out, let factory = ModelGlue.factory else {
          throw PluginError(.invalidArgument, "model.create: args or out is NULL")
        }
        out.pointee = InstanceBox.retain(NetworkBox(try factory(args.pointee, err)))
      }
    }
    table.destroy = { model in InstanceBox.release(model, as: NetworkBox.self) }
    table.describe = { model, out, err in
      guard let network = InstanceBox.object(model, as: NetworkBox.self)?.network, let out else {
        return fail(err, .invalidArgument, "model.describe: model or out is NULL")
      }
      OutStruct.write(network.layout, to: out)
      return Status.ok.rawValue
    }
    table.init_params = { model, params, count, rng, err in
      ModelGlue.call(model, err, "init_params") { network, _ throws(PluginError) in
        let params = try ModelGlue.required(params, network, "init_params", "params")
        try network.initParams(params, count: count, rng: rng, err: err)
      }
    }
    table.workspace_create = { model, batch, dtype, out, err in
      ModelGlue.call(model, err, "workspace_create") { network, _ throws(PluginError) in
        guard let out, batch > 0, dtype == network.dtype else {
          throw PluginError(
            .invalidArgument,
            "\(network.pluginID).workspace_create: needs out, a batch > 0 (got \(batch)) and the "
              + "model's dtype \(network.dtype) (got \(dtype))")
        }
        out.pointee = InstanceBox.retain(try network.makeWorkspace(batch: Int(batch), err: err))
      }
    }
    table.workspace_destroy = { _, workspace in InstanceBox.release(workspace, as: AnyObject.self) }
    table.prepare = { model, ev, err in
      ModelGlue.call(model, err, "prepare") { network, kernel throws(PluginError) in
        try network.prepare(ev, kernel)
      }
    }
    table.drive = { model, ev, out, err in
      ModelGlue.call(model, err, "drive") { network, kernel throws(PluginError) in
        try network.drive(ev, out: try ModelGlue.required(out, network, "drive", "out"), kernel)
      }
    }
    table.param_grad = { model, ev, coeff, grads, err in
      ModelGlue.call(model, err, "param_grad") { network, kernel throws(PluginError) in
        try network.paramGrad(ev, coeff: coeff, grads: try ModelGlue.required(grads, network, "param_grad", "grads"), kernel)
      }
    }
    table.cost = { model, ev, perExample, err in
      ModelGlue.call(model, err, "cost") { network, kernel throws(PluginError) in
        try network.cost(ev, perExample: try ModelGlue.required(perExample, network, "cost", "per_example"), kernel)
      }
    }
    table.cost_grad = { model, ev, coeff, gradStates, gradParams, err in
      ModelGlue.call(model, err, "cost_grad") { network, kernel throws(PluginError) in
        try network.costGrad(
          ev, coeff: coeff, gradStates: try ModelGlue.required(gradStates, network, "cost_grad", "grad_states"),
          gradParams: gradParams, kernel)
      }
    }
    table.predict = { model, ev, scores, err in
      ModelGlue.call(model, err, "predict") { network, kernel throws(PluginError) in
        try network.predict(ev, scores: try ModelGlue.required(scores, network, "predict", "scores"), kernel)
      }
    }
    setOptionalEntries(&table)
    if capabilities & UInt64(EQP_MODEL_CAP_VJP) == 0 { table.vjp = nil }
    if capabilities & UInt64(EQP_MODEL_CAP_PHI) == 0 { table.phi = nil }
    if capabilities & UInt64(EQP_MODEL_CAP_STEP_UPDATE) == 0 { table.step_update = nil }
    if capabilities & UInt64(EQP_MODEL_CAP_APPLY_STEP) == 0 { table.apply_step = nil }
    let made = UnsafeRawPointer(PermanentStorage.value(table))
    builtTable = made
    return made
  }

  /// The optional entries, all set.
  private static func setOptionalEntries(_ table: inout EQP_ModelVTable) {
    table.vjp = { model, ev, cotOut, cotStates, cotParams, err in
      ModelGlue.call(model, err, "vjp") { network, kernel throws(PluginError) in
        try network.vjp(
          ev, cotOut: UnsafePointer(try ModelGlue.required(UnsafeMutablePointer(mutating: cotOut), network, "vjp", "cot_out")),
          cotStates: try ModelGlue.required(cotStates, network, "vjp", "cot_states"), cotParams: cotParams, kernel)
      }
    }
    table.phi = { model, ev, perExample, err in
      ModelGlue.call(model, err, "phi") { network, kernel throws(PluginError) in
        try network.phi(ev, perExample: try ModelGlue.required(perExample, network, "phi", "per_example"), kernel)
      }
    }
    table.step_update = { model, ev, after, coeff, grads, err in
      ModelGlue.call(model, err, "step_update") { network, kernel throws(PluginError) in
        try network.stepUpdate(
          ev, after: UnsafePointer(try ModelGlue.required(UnsafeMutablePointer(mutating: after), network, "step_update", "after")),
          coeff: coeff, grads: try ModelGlue.required(grads, network, "step_update", "grads"), kernel)
      }
    }
    table.apply_step = { model, ev, after, rates, params, err in
      ModelGlue.call(model, err, "apply_step") { network, kernel throws(PluginError) in
        guard let after, let rates else {
          throw PluginError(.invalidArgument, "\(network.pluginID).apply_step: after or rates is NULL")
        }
        try network.applyStep(
          ev, after: after, rates: rates, params: try ModelGlue.required(params, network, "apply_step", "params"),
          kernel)
      }
    }
  }

  /// Unboxes the network, makes its kernel calls and maps a thrown error to a status.
  private static func call(
    _ model: OpaquePointer?, _ err: OpaquePointer?, _ name: String,
    _ body: (any ModelNetwork, KernelCalls) throws(PluginError) -> Void
  ) -> EQP_Status {
    catchingStatus(err) { () throws(PluginError) in
      guard let network = InstanceBox.object(model, as: NetworkBox.self)?.network else {
        throw PluginError(.invalidArgument, "model.\(name): model is NULL")
      }
      try body(network, try KernelCalls(dtype: network.dtype, err: err))
    }
  }

  private static func required<T>(
    _ pointer: UnsafeMutablePointer<T>?, _ network: any ModelNetwork, _ call: String, _ what: String
  ) throws(PluginError) -> UnsafeMutablePointer<T> {
    guard let pointer else { throw PluginError(.invalidArgument, "\(network.pluginID).\(call): \(what) is NULL") }
    return pointer
  }
}

/// One boxed instance: a class holding the existential, so the opaque pointer stays a plain
/// retained object.
final class NetworkBox {
  let network: any ModelNetwork
  init(_ network: any ModelNetwork) { self.network = network }
}

extension ModelGlue {
  /// The network behind a model instance pointer (for extension functions taking `p`).
  public static func network(_ model: OpaquePointer?) -> (any ModelNetwork)? {
    InstanceBox.object(model, as: NetworkBox.self)?.network
  }
}
