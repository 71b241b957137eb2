@preconcurrency import CEqprop

/// The last `capacity` states of a relaxation, kept by the step callback: slot k % capacity
/// holds s_k, the state before step k.
public final class StateRing {
  public let capacity: Int
  let slots: [OpaquePointer]
  private let views: [UnsafeMutableBufferPointer<EQP_Tensor>]
  private let kernel: KernelCalls
  /// Steps recorded so far.
  private(set) var recorded = 0

  public init(capacity: Int, session: SessionCalls, kernel: KernelCalls) throws(PluginError) {
    self.capacity = capacity
    var slots: [OpaquePointer] = []
    for _ in 0..<capacity { slots.append(try session.makeStates()) }
    self.slots = slots
    views = slots.map { session.tensors($0) }
    self.kernel = kernel
  }

  public func reset() { recorded = 0 }

  /// s_k, when it is still held.
  public func state(_ step: Int) -> OpaquePointer? {
    step >= max(0, recorded - capacity) && step < recorded ? slots[step % capacity] : nil
  }

  func record(_ before: UnsafePointer<EQP_Tensor>, count: Int) throws(PluginError) {
    let target = views[recorded % capacity]
    for layer in 0..<min(count, target.count) {
      try kernel.copy(count: before[layer].elementCount, from: before[layer].baseAddress, to: target[layer].baseAddress)
    }
    recorded += 1
  }

  /// The C callback: `userData` is an unretained StateRing. A failure stops the run with its
  /// status, and the message reaches the learner through the sink.
  public static let callback: EQP_StepCallback = { userData, _, before, _, count, err in
    guard let userData, let before else { return Status.invalidArgument.rawValue }
    let ring = Unmanaged<StateRing>.fromOpaque(userData).takeUnretainedValue()
    do throws(PluginError) {
      try ring.record(before, count: count)
      return Status.ok.rawValue
    } catch {
      return fail(err, error.status, error.message)
    }
  }
}
