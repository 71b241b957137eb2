@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured BPTT rule: the SDK's truncated BPTT as a learner.
final class BPTTRule {
  private let backprop: TruncatedBPTT

  init(window: Int) { backprop = TruncatedBPTT(window: window) }

  /// Free phase with the last `window` states recorded, then the backward pass:
  /// grads = ∂L/∂θ with L = (1/B)Σ_b ℓ(s_T, y) (descent convention).
  func trainBatch(
    _ session: SessionCalls, grads: OpaquePointer?, result: UnsafeMutablePointer<EQP_BatchResult>
  ) throws(PluginError) {
    guard let grads else { throw PluginError(.invalidArgument, "bptt: grads is NULL") }
    let free = try backprop.freePhase(session)
    let evaluation = try session.evaluate(free.final)
    try backprop.gradient(session, into: grads)
    result.pointee.applied = 0
    result.pointee.loss_sum = evaluation.lossSum
    result.pointee.errors = evaluation.errors
    result.pointee.free_steps = free.run.steps_used
  }
}
