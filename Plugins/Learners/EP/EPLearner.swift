@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `ep` learner: standard Equilibrium Propagation (spec §3.1).
enum EPLearner {
  static let options: [OptionDescription] = [
    OptionDescription("nudged_steps", .int, default: nil, doc: "K: steps of the nudged phase", min: 1),
    OptionDescription("beta", .float, default: nil, doc: "β: nudging strength (> 0)", min: 0),
    OptionDescription(
      "beta_sign", .string, default: "positive",
      doc: "positive (Ernoult et al. 2019), random (a fair coin per minibatch: Scellier & "
        + "Bengio 2017, C-VF), or symmetric (±β, an extension from Laborieux et al. 2021)"),
  ]

  static var description: PluginDescription {
    var table = EQP_LearnerVTable()
    table.struct_size = Int(EQP_LearnerVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else { throw PluginError(.invalidArgument, "ep.create: args or out is NULL") }
        out.pointee = InstanceBox.retain(try EPRule(args.pointee, err: err))
      }
    }
    table.destroy = { learner in InstanceBox.release(learner, as: EPRule.self) }
    table.train_batch = { learner, session, args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let rule = InstanceBox.object(learner, as: EPRule.self), let session, let args, let out else {
          throw PluginError(.invalidArgument, "ep.train_batch: learner, session, args or out is NULL")
        }
        try rule.trainBatch(SessionCalls(session, err: err), grads: args.pointee.grads, result: out)
      }
    }
    return PluginDescription(
      kind: .learner, id: "ep", displayName: "Equilibrium Propagation", version: "1.0.0",
      capabilities: UInt64(EQP_LEARNER_CAP_F64), vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "Free phase, nudged phase of K steps at β, and the contrast "
        + "g = −(1/β)(∂Φ/∂θ(s^β) − ∂Φ/∂θ(s*)) / B; optionally a random sign of β or ±β.",
      options: options)
  }
}
