@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `example-fixed-point` dynamics: examples/c-dynamics/fixed_point.c written with the SDK,
/// s ← clip(s + ε(F(s) − s) − εβ·∂ℓ/∂s) for all layers at once, stopping early below a
/// tolerance.
///
/// The SDK has no glue for dynamics (each kind's vtable is small): each entry unboxes the
/// instance, and `catchingStatus` turns a thrown `PluginError` into a status and a message.
enum FixedPointDynamics {
  static var description: PluginDescription {
    var table = EQP_DynamicsVTable()
    table.struct_size = Int(EQP_DynamicsVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else {
          throw PluginError(.invalidArgument, "example-fixed-point.create: args or out is NULL")
        }
        out.pointee = InstanceBox.retain(try FixedPointRelaxation(args.pointee, err: err))
      }
    }
    table.destroy = { instance in InstanceBox.release(instance, as: FixedPointRelaxation.self) }
    table.describe = { instance, out, err in
      guard let dynamics = InstanceBox.object(instance, as: FixedPointRelaxation.self), let out
      else {
        return fail(err, .invalidArgument, "example-fixed-point.describe: instance or out is NULL")
      }
      OutStruct.write(dynamics.info, to: out)
      return Status.ok.rawValue
    }
    table.run = { instance, args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let dynamics = InstanceBox.object(instance, as: FixedPointRelaxation.self), let args,
          let out
        else {
          throw PluginError(
            .invalidArgument, "example-fixed-point.run: instance, args or out is NULL")
        }
        OutStruct.write(try dynamics.run(args.pointee, err: err), to: out)
      }
    }
    return PluginDescription(
      kind: .dynamics, id: "example-fixed-point",
      displayName: "Fixed-point relaxation (Swift example)",
      version: "1.0.0", capabilities: UInt64(EQP_DYNAMICS_CAP_F64 | EQP_DYNAMICS_CAP_EARLY_STOP),
      vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "s ← clip(s + ε(F(s) − s) − εβ∂ℓ/∂s) for T steps, stopping early below a tolerance; "
        + "examples/swift-plugins.",
      options: [
        OptionDescription(
          "free_steps", .int, default: nil, doc: "T: steps of a free phase", min: 1),
        OptionDescription(
          "epsilon", .float, default: "1", doc: "ε: Euler step (1 = the discrete map s ← F(s))",
          min: 0, max: 1),
        OptionDescription(
          "tolerance", .float, default: "0",
          doc: "stop a phase once ‖s_{t+1} − s_t‖∞ < tolerance (0: never)",
          min: 0),
      ])
  }
}
