@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `example-ep` learner: Equilibrium Propagation with a positive β, as small as the SDK
/// makes it. A learner never touches the model: it runs phases and takes ∂Φ/∂θ through the
/// host session (`SessionCalls`).
enum ExampleEP {
  static var description: PluginDescription {
    var table = EQP_LearnerVTable()
    table.struct_size = Int(EQP_LearnerVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else {
          throw PluginError(.invalidArgument, "example-ep.create: args or out is NULL")
        }
        out.pointee = InstanceBox.retain(try ExampleEPRule(args.pointee, err: err))
      }
    }
    table.destroy = { learner in InstanceBox.release(learner, as: ExampleEPRule.self) }
    table.train_batch = { learner, session, args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let rule = InstanceBox.object(learner, as: ExampleEPRule.self), let session, let args,
          let out
        else {
          throw PluginError(
            .invalidArgument, "example-ep.train_batch: learner, session, args or out is NULL")
        }
        OutStruct.write(
          try rule.trainBatch(SessionCalls(session, err: err), grads: args.pointee.grads), to: out)
      }
    }
    return PluginDescription(
      kind: .learner, id: "example-ep", displayName: "Equilibrium Propagation (Swift example)",
      version: "1.0.0",
      capabilities: UInt64(EQP_LEARNER_CAP_F64),
      vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "Free phase, K nudged steps at β > 0, g = −(∂Φ/∂θ(s^β) − ∂Φ/∂θ(s*)) / (βB); examples/swift-plugins.",
      options: [
        OptionDescription(
          "nudged_steps", .int, default: nil, doc: "K: steps of the nudged phase", min: 1),
        OptionDescription("beta", .float, default: nil, doc: "β: nudging strength (> 0)", min: 0),
      ])
  }
}
