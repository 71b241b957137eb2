@preconcurrency import CEqprop

/// Checks a plugin's vtable: its struct_size reaches the kind's required functions, none of
/// them is NULL, and every capability bit that promises an optional function has it.
struct VTableValidator {
  let plugin: String
  let kind: PluginKind
  let capabilities: UInt64

  func validate(_ pointer: UnsafeRawPointer) -> Result<PluginVTable, VTableProblem> {
    switch kind {
    case .model:
      let raw = ForeignStruct<EQP_ModelVTable>(pointer)
      if let problem = checkSize(raw.size, minimum: Int(EQP_ModelVTable_MIN_SIZE), "EQP_ModelVTable", through: "predict") {
        return .failure(VTableProblem(reason: problem))
      }
      let table = raw.zeroExtendedCopy(EQP_ModelVTable())
      let required: [(String, Bool)] = [
        ("create", table.create != nil), ("destroy", table.destroy != nil),
        ("describe", table.describe != nil), ("init_params", table.init_params != nil),
        ("workspace_create", table.workspace_create != nil),
        ("workspace_destroy", table.workspace_destroy != nil),
        ("prepare", table.prepare != nil), ("drive", table.drive != nil),
        ("param_grad", table.param_grad != nil), ("cost", table.cost != nil),
        ("cost_grad", table.cost_grad != nil), ("predict", table.predict != nil),
      ]
      let promised: [(UInt64, String, Bool)] = [
        (UInt64(EQP_MODEL_CAP_VJP), "vjp", table.vjp != nil),
        (UInt64(EQP_MODEL_CAP_PHI), "phi", table.phi != nil),
        (UInt64(EQP_MODEL_CAP_STEP_UPDATE), "step_update", table.step_update != nil),
        (UInt64(EQP_MODEL_CAP_APPLY_STEP), "apply_step", table.apply_step != nil),
      ]
      return check("EQP_ModelVTable", required, promised).map { .model(table) }
    case .dynamics:
      let raw = ForeignStruct<EQP_DynamicsVTable>(pointer)
      if let problem = checkSize(raw.size, minimum: Int(EQP_DynamicsVTable_MIN_SIZE), "EQP_DynamicsVTable", through: "run") {
        return .failure(VTableProblem(reason: problem))
      }
      let table = raw.zeroExtendedCopy(EQP_DynamicsVTable())
      let required: [(String, Bool)] = [
        ("create", table.create != nil), ("destroy", table.destroy != nil),
        ("describe", table.describe != nil), ("run", table.run != nil),
      ]
      let promised: [(UInt64, String, Bool)] = [
        (UInt64(EQP_DYNAMICS_CAP_STEP_VJP), "step_vjp", table.step_vjp != nil)
      ]
      return check("EQP_DynamicsVTable", required, promised).map { .dynamics(table) }
    case .learner:
      let raw = ForeignStruct<EQP_LearnerVTable>(pointer)
      if let problem = checkSize(raw.size, minimum: Int(EQP_LearnerVTable_MIN_SIZE), "EQP_LearnerVTable", through: "train_batch") {
        return .failure(VTableProblem(reason: problem))
      }
      let table = raw.zeroExtendedCopy(EQP_LearnerVTable())
      let required: [(String, Bool)] = [
        ("create", table.create != nil), ("destroy", table.destroy != nil),
        ("train_batch", table.train_batch != nil),
      ]
      return check("EQP_LearnerVTable", required, []).map { .learner(table) }
    case .communicator:
      let raw = ForeignStruct<EQP_CommunicatorVTable>(pointer)
      if let problem = checkSize(
        raw.size, minimum: Int(EQP_CommunicatorVTable_MIN_SIZE), "EQP_CommunicatorVTable",
        through: "abort", since: "1.3")
      {
        return .failure(VTableProblem(reason: problem))
      }
      let table = raw.zeroExtendedCopy(EQP_CommunicatorVTable())
      let required: [(String, Bool)] = [
        ("create", table.create != nil), ("destroy", table.destroy != nil),
        ("info", table.info != nil), ("allreduce_sum", table.allreduce_sum != nil),
        ("broadcast", table.broadcast != nil), ("allgather", table.allgather != nil),
        ("barrier", table.barrier != nil), ("abort", table.abort != nil),
      ]
      return check("EQP_CommunicatorVTable", required, []).map { .communicator(table) }
    }
  }

  /// `since`: the ABI version that introduced the table, whose minimum applies.
  private func checkSize(
    _ size: Int, minimum: Int, _ type: String, through field: String, since: String = "1.0"
  ) -> String? {
    guard size < minimum else { return nil }
    return "\(type).struct_size is \(size), below the \(minimum) bytes ABI \(since) requires "
      + "(through \(field))"
  }

  private func check(
    _ type: String, _ required: [(String, Bool)], _ promised: [(UInt64, String, Bool)]
  ) -> Result<Void, VTableProblem> {
    if let missing = required.first(where: { !$0.1 }) {
      return .failure(
        VTableProblem(reason: "\(type).\(missing.0) is NULL, but every \(kind.name) must provide it"))
    }
    for (bit, name, present) in promised where capabilities & bit != 0 && !present {
      return .failure(
        VTableProblem(
          reason: "declares the '\(name)' capability but \(type).\(name) is NULL or beyond "
            + "its struct_size"))
    }
    return .success(())
  }
}

/// Why a vtable was refused (a sentence fragment the loader prefixes with file and plugin).
struct VTableProblem: Error {
  var reason: String
}
