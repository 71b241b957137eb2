@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `cep` learner: continual Equilibrium Propagation (Ernoult et al. 2020, spec §3.4);
/// with a `vf` model it is C-VF (spec §3.5).
enum CEPLearner {
  static let options: [OptionDescription] = [
    OptionDescription("nudged_steps", .int, default: nil, doc: "K: steps of the nudged phase", min: 1),
    OptionDescription("beta", .float, default: nil, doc: "β: nudging strength (> 0)", min: 0),
    OptionDescription(
      "beta_sign", .string, default: "positive",
      doc: "positive, or random: a fair coin per minibatch (the C-VF runs' --randbeta 0.5)"),
    OptionDescription(
      "debug", .bool, default: "false",
      doc: "sanity mode (P4 App. F.2): per-step updates at η·1e-5, taken back, then their sum "
        + "at η: must train as standard EP"),
    OptionDescription(
      "angle_window", .int, default: "0",
      doc: "> 0: also run BPTT over this many last free steps and log angle_bptt, the angle "
        + "between the batch's total update and the BPTT gradient (P4 --angle-grad)", min: 0),
  ]

  /// `bptt_angle`, for `eqprop call` and hooks: the last batch's angle (NaN without
  /// angle_window).
  static let angleFunction: @convention(c) (OpaquePointer?) -> Double = { learner in
    InstanceBox.object(learner, as: ContinualRule.self)?.lastAngle ?? .nan
  }

  static var description: PluginDescription {
    var table = EQP_LearnerVTable()
    table.struct_size = Int(EQP_LearnerVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else { throw PluginError(.invalidArgument, "cep.create: args or out is NULL") }
        out.pointee = InstanceBox.retain(try ContinualRule(args.pointee, err: err))
      }
    }
    table.destroy = { learner in InstanceBox.release(learner, as: ContinualRule.self) }
    table.train_batch = { learner, session, args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let rule = InstanceBox.object(learner, as: ContinualRule.self), let session, args != nil, let out else {
          throw PluginError(.invalidArgument, "cep.train_batch: learner, session, args or out is NULL")
        }
        try rule.trainBatch(SessionCalls(session, err: err), result: out)
      }
    }
    return PluginDescription(
      kind: .learner, id: "cep", displayName: "Continual Equilibrium Propagation", version: "1.0.0",
      capabilities: UInt64(EQP_LEARNER_CAP_F64), vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "Free phase, then K nudged steps at β, each followed by θ ← θ + η·Δθ_t/β with the "
        + "model's step rule (EP's Φ_θ increment; the vector-field rule with vf: C-VF).",
      options: options,
      functions: [
        FunctionDescription(
          "bptt_angle", signature: "d(p)", function: unsafeBitCast(angleFunction, to: UnsafeRawPointer.self),
          doc: "angle (degrees) between the last batch's total update and the BPTT gradient")
      ])
  }
}
