@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `bptt` learner: backpropagation through time through the session's own dynamics
/// (spec §3.2), over the last `window` steps of the free phase.
enum BPTTLearner {
  static let options: [OptionDescription] = [
    OptionDescription(
      "window", .int, default: "0",
      doc: "steps differentiated, counted back from the end of the free phase (K+1 for the "
        + "papers' fully connected runs, K for conv); 0 = every step", min: 0)
  ]

  static var description: PluginDescription {
    var table = EQP_LearnerVTable()
    table.struct_size = Int(EQP_LearnerVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else { throw PluginError(.invalidArgument, "bptt.create: args or out is NULL") }
        let window = try OptionReader(args.pointee.options, err: err).int("window")
        out.pointee = InstanceBox.retain(BPTTRule(window: Int(window)))
      }
    }
    table.destroy = { learner in InstanceBox.release(learner, as: BPTTRule.self) }
    table.train_batch = { learner, session, args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let rule = InstanceBox.object(learner, as: BPTTRule.self), let session, let args, let out else {
          throw PluginError(.invalidArgument, "bptt.train_batch: learner, session, args or out is NULL")
        }
        try rule.trainBatch(SessionCalls(session, err: err), grads: args.pointee.grads, result: out)
      }
    }
    return PluginDescription(
      kind: .learner, id: "bptt", displayName: "Backpropagation through time", version: "1.0.0",
      capabilities: UInt64(EQP_LEARNER_CAP_NEEDS_VJP | EQP_LEARNER_CAP_F64),
      vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "∂L/∂θ of L = (1/B)Σℓ(s_T, y) through the last `window` steps of the free phase, "
        + "differentiating the dynamics' own step (ε, clipping); the steps before the window run "
        + "without a tape, so memory grows with the window, not with T.",
      options: options)
  }
}
