@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured BPTT rule and the buffers it reuses between batches.
final class BPTTRule {
  let window: Int
  private var buffers: Buffers?

  private struct Buffers {
    var batch: Int64
    var final: OpaquePointer
    var cotangent: OpaquePointer
    var spare: OpaquePointer
    var ring: StateRing?
  }

  init(window: Int) { self.window = window }

  /// Free phase with the last `window` states recorded, then the backward pass:
  /// grads = ∂L/∂θ with L = (1/B)Σ_b ℓ(s_T, y) (descent convention).
  func trainBatch(
    _ session: SessionCalls, grads: OpaquePointer?, result: UnsafeMutablePointer<EQP_BatchResult>
  ) throws(PluginError) {
    guard let grads else { throw PluginError(.invalidArgument, "bptt: grads is NULL") }
    var buffers = try self.buffers(session)
    let kernel = try KernelCalls(dtype: session.dtype, err: nil)
    // The ring needs the free phase's length T (window 0 = all of it): learn it once.
    let ring: StateRing
    if let existing = buffers.ring {
      ring = existing
    } else {
      var steps = window
      if steps == 0 {
        steps = Int(try session.relax(buffers.final, beta: 0, steps: 0, start: .zero).steps_used)
      }
      ring = try StateRing(capacity: steps, session: session, kernel: kernel)
      buffers.ring = ring
      self.buffers = buffers
    }
    ring.reset()
    let run = try session.relax(
      buffers.final, beta: 0, steps: 0, start: .default, onStep: StateRing.callback,
      userData: Unmanaged.passUnretained(ring).toOpaque())
    let steps = Int(run.steps_used)
    let evaluation = try session.evaluate(buffers.final)

    try session.zero(buffers.cotangent)
    try session.costGrad(
      buffers.final, coeff: 1 / Double(session.batchSize), gradStates: buffers.cotangent, gradParams: grads)
    var cotAfter = buffers.cotangent
    var cotBefore = buffers.spare
    var after = buffers.final
    for step in stride(from: steps - 1, through: max(0, steps - ring.capacity), by: -1) {
      guard let before = ring.state(step) else { break }
      try session.stepVjp(
        before: before, after: after, beta: 0, cotAfter: cotAfter, cotBefore: cotBefore, cotParams: grads)
      swap(&cotAfter, &cotBefore)
      after = before
    }
    result.pointee.applied = 0
    result.pointee.loss_sum = evaluation.lossSum
    result.pointee.errors = evaluation.errors
    result.pointee.free_steps = run.steps_used
  }

  private func buffers(_ session: SessionCalls) throws(PluginError) -> Buffers {
    if let buffers, buffers.batch == session.batchSize { return buffers }
    let made = Buffers(
      batch: session.batchSize, final: try session.makeStates(), cotangent: try session.makeStates(),
      spare: try session.makeStates(), ring: nil)
    buffers = made
    return made
  }
}
