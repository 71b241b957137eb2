@preconcurrency import CEqprop

/// Backpropagation through the last `window` steps of a free phase (spec §3.2), shared by
/// the `bptt` learner and by learners that compare themselves with it (`cep`'s angle).
///
/// Memory grows with the window, not with T: the step callback keeps only the last
/// `window` states in a ring.
public final class TruncatedBPTT {
  /// Steps in the backward pass; 0 = the whole free phase.
  public let window: Int
  private var buffers: Buffers?

  private struct Buffers {
    var batch: Int64
    var final: OpaquePointer
    var cotangent: OpaquePointer
    var spare: OpaquePointer
    var ring: StateRing?
    var steps = 0
  }

  public init(window: Int) { self.window = window }

  /// Runs the free phase from the dynamics' default start, recording its last steps; returns
  /// the run and the final states s_T (owned by this object, valid until the next call).
  public func freePhase(_ session: SessionCalls) throws(PluginError) -> (run: EQP_RunResult, final: OpaquePointer) {
    var buffers = try self.buffers(session)
    let ring = try self.ring(session, &buffers)
    ring.reset()
    let run = try session.relax(
      buffers.final, beta: 0, steps: 0, start: .default, onStep: StateRing.callback,
      userData: Unmanaged.passUnretained(ring).toOpaque())
    buffers.steps = Int(run.steps_used)
    self.buffers = buffers
    return (run, buffers.final)
  }

  /// grads += ∂L/∂θ with L = (1/B)Σ_b ℓ(s_T, y), through the recorded steps of the last
  /// `freePhase` (descent convention).
  public func gradient(_ session: SessionCalls, into grads: OpaquePointer) throws(PluginError) {
    guard let buffers, let ring = buffers.ring, buffers.batch == session.batchSize else {
      throw PluginError(.invalidArgument, "bptt: gradient asked for before a free phase of this batch size")
    }
    try session.zero(buffers.cotangent)
    try session.costGrad(
      buffers.final, coeff: 1 / Double(session.batchSize), gradStates: buffers.cotangent, gradParams: grads)
    var cotAfter = buffers.cotangent
    var cotBefore = buffers.spare
    var after = buffers.final
    for step in stride(from: buffers.steps - 1, through: max(0, buffers.steps - ring.capacity), by: -1) {
      guard let before = ring.state(step) else { break }
      try session.stepVjp(
        before: before, after: after, beta: 0, cotAfter: cotAfter, cotBefore: cotBefore, cotParams: grads)
      swap(&cotAfter, &cotBefore)
      after = before
    }
  }

  /// The ring, made at the first batch: it needs the free phase's length T when the window
  /// is all of it, learnt by one run.
  private func ring(_ session: SessionCalls, _ buffers: inout Buffers) throws(PluginError) -> StateRing {
    if let existing = buffers.ring { return existing }
    var steps = window
    if steps == 0 {
      steps = Int(try session.relax(buffers.final, beta: 0, steps: 0, start: .zero).steps_used)
    }
    let ring = try StateRing(capacity: steps, session: session, kernel: try KernelCalls(dtype: session.dtype, err: nil))
    buffers.ring = ring
    return ring
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
