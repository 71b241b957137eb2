@preconcurrency import CEqprop

/// What a model plugin implements for `ModelVTable.make`: one instance per
/// `EQP_ModelInstance`, one workspace object per `EQP_Workspace`.
///
/// Every call receives the raw eval (checked by the model, e.g. with `ModelEvalView`) and the
/// kernel for the model's dtype; a thrown `PluginError` becomes the call's status and message.
public protocol PluginModel: AnyObject {
  /// The plugin id, first word of every message ("conv.drive: ...").
  var id: String { get }
  /// EQP_DTYPE_F32 or _F64, fixed at create.
  var dtype: UInt32 { get }
  /// What describe hands to the host; its arrays live as long as the instance.
  var layout: EQP_ModelLayout { get }

  func initParams(
    _ params: UnsafeMutablePointer<EQP_Tensor>, count: Int, rng: OpaquePointer?,
    err: OpaquePointer?) throws(PluginError)
  /// A workspace for `batch` examples (the model's dtype already checked).
  func makeWorkspace(batch: Int, err: OpaquePointer?) throws(PluginError) -> AnyObject
  func prepare(_ ev: UnsafePointer<EQP_ModelEval>?, _ kernel: KernelCalls) throws(PluginError)
  func drive(
    _ ev: UnsafePointer<EQP_ModelEval>?, out: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls) throws(PluginError)
  func paramGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double, grads: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls) throws(PluginError)
  func cost(
    _ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>,
    _ kernel: KernelCalls) throws(PluginError)
  /// gradParams (may be nil) is there for costs that depend on θ.
  func costGrad(
    _ ev: UnsafePointer<EQP_ModelEval>?, coeff: Double,
    gradStates: UnsafeMutablePointer<EQP_Tensor>, gradParams: UnsafeMutablePointer<EQP_Tensor>?,
    _ kernel: KernelCalls) throws(PluginError)
  func predict(
    _ ev: UnsafePointer<EQP_ModelEval>?, scores: UnsafeMutablePointer<EQP_Tensor>,
    _ kernel: KernelCalls) throws(PluginError)
  func vjp(
    _ ev: UnsafePointer<EQP_ModelEval>?, cotOut: UnsafePointer<EQP_Tensor>,
    cotStates: UnsafeMutablePointer<EQP_Tensor>, cotParams: UnsafeMutablePointer<EQP_Tensor>?,
    _ kernel: KernelCalls) throws(PluginError)
  func phi(
    _ ev: UnsafePointer<EQP_ModelEval>?, perExample: UnsafeMutablePointer<Double>,
    _ kernel: KernelCalls) throws(PluginError)
}

/// The `EQP_ModelVTable` of a `PluginModel`: C closures that unbox the instance, check the
/// out-pointers, build the kernel calls and map a thrown error to a status.
///
/// The closures capture nothing (C function pointers cannot), so they find the model through
/// the instance handle as `any PluginModel`; only `create`, which must know the concrete type,
/// comes from the plugin:
///
///     table = ModelVTable.make(create: { args, out, err in
///       ModelVTable.create(args, out, err, "conv") { args, err throws(PluginError) in
///         try ConvNetwork(args, err: err)
///       }
///     })
public enum ModelVTable {
  public typealias Create =
    @convention(c) (
      UnsafePointer<EQP_ModelCreateArgs>?, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?
    ) -> EQP_Status

  /// The whole vtable (every optional entry filled: declare EQP_MODEL_CAP_PHI | _VJP).
  public static func make(create: Create) -> EQP_ModelVTable {
    var table = EQP_ModelVTable()
    table.struct_size = Int(EQP_ModelVTable_STRUCT_SIZE)
    table.create = create
    table.destroy = { model in InstanceBox.release(model, as: AnyObject.self) }
    table.describe = { model, out, err in
      guard let network = ModelVTable.model(model), let out else {
        return fail(err, .invalidArgument, "model.describe: model or out is NULL")
      }
      OutStruct.write(network.layout, to: out)
      return Status.ok.rawValue
    }
    table.init_params = { model, params, count, rng, err in
      ModelVTable.with(model, err, "init_params") { network, _ throws(PluginError) in
        try network.initParams(
          try network.nonNull(params, "init_params", "params"), count: count, rng: rng, err: err)
      }
    }
    table.workspace_create = { model, batch, dtype, out, err in
      ModelVTable.with(model, err, "workspace_create") { network, _ throws(PluginError) in
        guard let out, batch > 0, dtype == network.dtype else {
          throw PluginError(
            .invalidArgument,
            "\(network.id).workspace_create: needs out, a batch > 0 (got \(batch)) and the "
              + "model's dtype \(network.dtype) (got \(dtype))")
        }
        out.pointee = InstanceBox.retain(try network.makeWorkspace(batch: Int(batch), err: err))
      }
    }
    table.workspace_destroy = { _, workspace in InstanceBox.release(workspace, as: AnyObject.self) }
    table.prepare = { model, ev, err in
      ModelVTable.with(model, err, "prepare") { network, kernel throws(PluginError) in
        try network.prepare(ev, kernel)
      }
    }
    table.drive = { model, ev, out, err in
      ModelVTable.with(model, err, "drive") { network, kernel throws(PluginError) in
        try network.drive(ev, out: try network.nonNull(out, "drive", "out"), kernel)
      }
    }
    table.param_grad = { model, ev, coeff, grads, err in
      ModelVTable.with(model, err, "param_grad") { network, kernel throws(PluginError) in
        try network.paramGrad(
          ev, coeff: coeff, grads: try network.nonNull(grads, "param_grad", "grads"), kernel)
      }
    }
    table.cost = { model, ev, perExample, err in
      ModelVTable.with(model, err, "cost") { network, kernel throws(PluginError) in
        try network.cost(
          ev, perExample: try network.nonNull(perExample, "cost", "per_example"), kernel)
      }
    }
    table.cost_grad = { model, ev, coeff, gradStates, gradParams, err in
      ModelVTable.with(model, err, "cost_grad") { network, kernel throws(PluginError) in
        try network.costGrad(
          ev, coeff: coeff, gradStates: try network.nonNull(gradStates, "cost_grad", "grad_states"),
          gradParams: gradParams, kernel)
      }
    }
    table.predict = { model, ev, scores, err in
      ModelVTable.with(model, err, "predict") { network, kernel throws(PluginError) in
        try network.predict(ev, scores: try network.nonNull(scores, "predict", "scores"), kernel)
      }
    }
    table.vjp = { model, ev, cotOut, cotStates, cotParams, err in
      ModelVTable.with(model, err, "vjp") { network, kernel throws(PluginError) in
        try network.vjp(
          ev, cotOut: try network.nonNull(cotOut, "vjp", "cot_out"),
          cotStates: try network.nonNull(cotStates, "vjp", "cot_states"), cotParams: cotParams,
          kernel)
      }
    }
    table.phi = { model, ev, perExample, err in
      ModelVTable.with(model, err, "phi") { network, kernel throws(PluginError) in
        try network.phi(
          ev, perExample: try network.nonNull(perExample, "phi", "per_example"), kernel)
      }
    }
    return table
  }

  /// The body of a plugin's `create`: checks the pointers, builds the model and hands the
  /// host a +1 reference (released by the vtable's destroy).
  public static func create(
    _ args: UnsafePointer<EQP_ModelCreateArgs>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ err: OpaquePointer?, _ id: String,
    _ build: (EQP_ModelCreateArgs, OpaquePointer?) throws(PluginError) -> any PluginModel
  ) -> EQP_Status {
    catchingStatus(err) { () throws(PluginError) in
      guard let args, let out else {
        throw PluginError(.invalidArgument, "\(id).create: args or out is NULL")
      }
      out.pointee = InstanceBox.retain(try build(args.pointee, err))
    }
  }

  /// The model behind an instance handle (nil for NULL or a foreign object).
  static func model(_ handle: OpaquePointer?) -> (any PluginModel)? {
    InstanceBox.object(handle, as: AnyObject.self) as? any PluginModel
  }

  /// Unboxes the model, builds its kernel calls and maps a thrown error to a status.
  static func with(
    _ handle: OpaquePointer?, _ err: OpaquePointer?, _ call: StaticString,
    _ body: (any PluginModel, KernelCalls) throws(PluginError) -> Void
  ) -> EQP_Status {
    catchingStatus(err) { () throws(PluginError) in
      guard let network = model(handle) else {
        throw PluginError(.invalidArgument, "model.\(call): model is NULL")
      }
      try body(network, try KernelCalls(dtype: network.dtype, err: err))
    }
  }
}

extension PluginModel {
  /// `pointer`, or an invalid-argument error naming the call and the argument.
  func nonNull<P>(_ pointer: P?, _ call: StaticString, _ name: StaticString) throws(PluginError)
    -> P
  {
    guard let pointer else { throw PluginError(.invalidArgument, "\(id).\(call): \(name) is NULL") }
    return pointer
  }
}
