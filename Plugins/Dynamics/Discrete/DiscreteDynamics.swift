@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `discrete` dynamics: s ← clip(s + ε(F(s) − s) − εβ·∂ℓ/∂s), all layers at once.
/// ε = 1 is the prototypical map s ← F(s) (spec §2.2, pitfall 2); ε < 1 the Euler step of
/// the energy-based and continuous-time models.
enum DiscreteDynamics {
  static let options: [OptionDescription] = [
    OptionDescription(
      "free_steps", .int, default: nil, doc: "T: steps of a free phase", min: 1),
    OptionDescription(
      "epsilon", .float, default: "1", doc: "ε: Euler step (1 = the discrete map s ← F(s))",
      min: 0, max: 1),
    OptionDescription(
      "tolerance", .float, default: "0",
      doc: "stop a phase early once ‖s_{t+1} − s_t‖∞ < tolerance (0: never)", min: 0),
    OptionDescription(
      "persistent", .bool, default: "false",
      doc: "free phases start from each example's stored state (Scellier & Bengio 2017)"),
    OptionDescription(
      "clip", .bool, default: "true", doc: "clip each layer to the range its model declares"),
  ]

  static var description: PluginDescription {
    var table = EQP_DynamicsVTable()
    table.struct_size = Int(EQP_DynamicsVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else {
          throw PluginError(.invalidArgument, "discrete.create: args or out is NULL")
        }
        let instance = try DiscreteInstance(args.pointee, err: err)
        out.pointee = InstanceBox.retain(instance)
      }
    }
    table.destroy = { instance in InstanceBox.release(instance, as: DiscreteInstance.self) }
    table.describe = { instance, out, err in
      guard let dynamics = InstanceBox.object(instance, as: DiscreteInstance.self), let out else {
        return fail(err, .invalidArgument, "discrete.describe: instance or out is NULL")
      }
      OutStruct.write(dynamics.info, to: out)
      return Status.ok.rawValue
    }
    table.run = { instance, args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let dynamics = InstanceBox.object(instance, as: DiscreteInstance.self),
          let args, let out
        else { throw PluginError(.invalidArgument, "discrete.run: instance, args or out is NULL") }
        OutStruct.write(try dynamics.run(args.pointee, err: err), to: out)
      }
    }
    table.step_vjp = { instance, args, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let dynamics = InstanceBox.object(instance, as: DiscreteInstance.self), let args else {
          throw PluginError(.invalidArgument, "discrete.step_vjp: instance or args is NULL")
        }
        try dynamics.stepVjp(args.pointee, err: err)
      }
    }
    return PluginDescription(
      kind: .dynamics, id: "discrete", displayName: "Discrete-time and Euler dynamics",
      version: "1.0.0",
      capabilities: UInt64(EQP_DYNAMICS_CAP_F64 | EQP_DYNAMICS_CAP_PERSISTENT
        | EQP_DYNAMICS_CAP_EARLY_STOP | EQP_DYNAMICS_CAP_STEP_VJP),
      vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "Synchronous steps s ← clip(s + ε(F(s) − s) − εβ∂ℓ/∂s) for T free steps; ε = 1 is "
        + "the prototypical map, ε < 1 the Euler discretisation of energy-based models.",
      options: options)
  }
}
