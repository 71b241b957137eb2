@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `rbp` learner: recurrent backpropagation (Almeida–Pineda) at the free phase's fixed
/// point, discrete form of spec §2.4.
enum RBPLearner {
  static let options: [OptionDescription] = [
    OptionDescription("steps", .int, default: nil, doc: "K: adjoint steps (at most)", min: 1),
    OptionDescription(
      "tolerance", .float, default: "0",
      doc: "stop once ‖s̄‖₂ < tolerance (0: always run K steps)", min: 0),
  ]

  static var description: PluginDescription {
    var table = EQP_LearnerVTable()
    table.struct_size = Int(EQP_LearnerVTable_STRUCT_SIZE)
    table.create = { args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let args, let out else { throw PluginError(.invalidArgument, "rbp.create: args or out is NULL") }
        let options = OptionReader(args.pointee.options, err: err)
        out.pointee = InstanceBox.retain(
          RBPRule(steps: Int(try options.int("steps")), tolerance: try options.double("tolerance")))
      }
    }
    table.destroy = { learner in InstanceBox.release(learner, as: RBPRule.self) }
    table.train_batch = { learner, session, args, out, err in
      catchingStatus(err) { () throws(PluginError) in
        guard let rule = InstanceBox.object(learner, as: RBPRule.self), let session, let args, let out else {
          throw PluginError(.invalidArgument, "rbp.train_batch: learner, session, args or out is NULL")
        }
        try rule.trainBatch(SessionCalls(session, err: err), grads: args.pointee.grads, result: out)
      }
    }
    return PluginDescription(
      kind: .learner, id: "rbp", displayName: "Recurrent backpropagation", version: "1.0.0",
      capabilities: UInt64(EQP_LEARNER_CAP_NEEDS_VJP | EQP_LEARNER_CAP_F64),
      vtable: UnsafeRawPointer(PermanentStorage.value(table)),
      description:
        "At s* = s_T: s̄_0 = ∂L/∂s(s*), θ̄_{k+1} = θ̄_k + (∂G/∂θ)ᵀs̄_k, s̄_{k+1} = (∂G/∂s)ᵀs̄_k "
        + "for K steps (or until ‖s̄‖ is small); θ̄_K equals K-step truncated BPTT when the free "
        + "phase has converged.",
      options: options)
  }
}

/// One configured RBP rule and the buffers it reuses between batches.
final class RBPRule {
  let steps: Int
  let tolerance: Double
  private var buffers: (batch: Int64, fixed: OpaquePointer, next: OpaquePointer, a: OpaquePointer, b: OpaquePointer)?

  init(steps: Int, tolerance: Double) {
    self.steps = steps
    self.tolerance = tolerance
  }

  func trainBatch(
    _ session: SessionCalls, grads: OpaquePointer?, result: UnsafeMutablePointer<EQP_BatchResult>
  ) throws(PluginError) {
    guard let grads else { throw PluginError(.invalidArgument, "rbp: grads is NULL") }
    let (fixed, next, first, second) = try buffers(session)
    let free = try session.relax(fixed, beta: 0, steps: 0, start: .default)
    let evaluation = try session.evaluate(fixed)
    // G(s*): the masks of a clipped step come from where the step lands.
    try session.copy(fixed, to: next)
    try session.relax(next, beta: 0, steps: 1, start: .current)
    try session.zero(first)
    try session.costGrad(fixed, coeff: 1 / Double(session.batchSize), gradStates: first, gradParams: grads)
    let kernel = try KernelCalls(dtype: session.dtype, err: nil)
    var current = first
    var following = second
    for _ in 0..<steps {
      try session.stepVjp(
        before: fixed, after: next, beta: 0, cotAfter: current, cotBefore: following, cotParams: grads)
      swap(&current, &following)
      if tolerance > 0, try norm(session.tensors(current), kernel) < tolerance { break }
    }
    result.pointee.applied = 0
    result.pointee.loss_sum = evaluation.lossSum
    result.pointee.errors = evaluation.errors
    result.pointee.free_steps = free.steps_used
  }

  private func norm(_ tensors: UnsafeMutableBufferPointer<EQP_Tensor>, _ kernel: KernelCalls) throws(PluginError) -> Double {
    var total = 0.0
    for tensor in tensors {
      total += try kernel.dot(count: tensor.elementCount, x: tensor.baseAddress, y: tensor.baseAddress)
    }
    return total.squareRoot()
  }

  private func buffers(_ session: SessionCalls) throws(PluginError)
    -> (OpaquePointer, OpaquePointer, OpaquePointer, OpaquePointer)
  {
    if let buffers, buffers.batch == session.batchSize { return (buffers.fixed, buffers.next, buffers.a, buffers.b) }
    let made = (
      batch: session.batchSize, fixed: try session.makeStates(), next: try session.makeStates(),
      a: try session.makeStates(), b: try session.makeStates()
    )
    buffers = made
    return (made.fixed, made.next, made.a, made.b)
  }
}
