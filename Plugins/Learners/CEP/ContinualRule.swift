@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured continual-EP rule (spec §3.4): the parameters move at every step of the
/// nudged phase, by the model's local rule for that step (EP's Φ_θ increment, or the
/// vector-field rule of spec §3.5 with a `vf` model: C-VF).
final class ContinualRule {
  enum Sign: String, CaseIterable {
    case positive, random
  }

  let nudgedSteps: Int64
  let beta: Double
  let sign: Sign
  /// P4 App. F.2's sanity mode: the per-step updates run at η·1e-5 and are taken back, then
  /// their sum is applied at η, which must reproduce standard EP.
  let debug: Bool
  /// BPTT over this many last free steps for the angle metric; nil: no angle.
  private let reference: TruncatedBPTT?
  /// The angle (degrees) between the last batch's total update and the BPTT gradient.
  private(set) var lastAngle = Double.nan
  private var buffers: Buffers?

  static let debugScale = 1e-5

  private struct Buffers {
    var batch: Int64
    var free: OpaquePointer
    var nudged: OpaquePointer
    var previous: OpaquePointer
    /// Parameter-shaped sets, only for the modes that need each step's update materialised
    /// (debug, angle): the plain mode applies its steps through session.applyStep.
    var sums: Sums?
  }

  private struct Sums {
    var step: OpaquePointer
    var total: OpaquePointer
    var gradient: OpaquePointer
  }

  init(_ args: EQP_LearnerCreateArgs, err: OpaquePointer?) throws(PluginError) {
    let options = OptionReader(args.options, err: err)
    nudgedSteps = try options.int("nudged_steps")
    beta = try options.double("beta")
    guard beta > 0 else { throw PluginError(.invalidArgument, "learner.beta: must be > 0, found 0") }
    sign = try options.choice("beta_sign", as: Sign.self)
    debug = try options.bool("debug")
    let window = try options.int("angle_window")
    reference = window > 0 ? TruncatedBPTT(window: Int(window)) : nil
  }

  func trainBatch(_ session: SessionCalls, result: UnsafeMutablePointer<EQP_BatchResult>) throws(PluginError) {
    let sets = try buffers(session)
    let free: EQP_RunResult
    if let reference, let sums = sets.sums {
      let run = try reference.freePhase(session)
      free = run.run
      try session.copy(run.final, to: sets.free)
      try session.zero(sums.gradient)
      try reference.gradient(session, into: sums.gradient)
    } else {
      free = try session.relax(sets.free, beta: 0, steps: 0, start: .default)
    }
    try session.logMetric("free_residual", free.residual)
    let evaluation = try session.evaluate(sets.free)
    let signedBeta = sign == .random && session.uniform() >= 0.5 ? -beta : beta
    let scale = debug ? Self.debugScale : 1
    if let sums = sets.sums { try session.zero(sums.total) }
    try session.copy(sets.free, to: sets.nudged)
    let kernel = try KernelCalls(dtype: session.dtype, err: nil)
    // g_t = −Δθ_t / (β B): the descent convention (docs/ABI.md).
    let coeff = -1 / (signedBeta * Double(session.batchSize))
    for _ in 0..<nudgedSteps {
      try session.copy(sets.nudged, to: sets.previous)
      try session.relax(sets.nudged, beta: signedBeta, steps: 1, start: .current)
      if let sums = sets.sums {
        // The debug mode and the angle need each step's update as a set of its own.
        try session.zero(sums.step)
        try session.stepUpdate(before: sets.previous, after: sets.nudged, coeff: coeff, into: sums.step)
        try session.applyUpdate(sums.step, scale: scale)
        try add(sums.step, to: sums.total, session, kernel)
      } else {
        // One host call, which the model applies to θ in place when the optimizer keeps no state.
        try session.applyStep(before: sets.previous, after: sets.nudged, coeff: coeff, scale: scale)
      }
    }
    if debug, let sums = sets.sums {
      try session.applyUpdate(sums.total, scale: -Self.debugScale)
      try session.applyUpdate(sums.total, scale: 1)
    }
    if reference != nil, let sums = sets.sums {
      lastAngle = try angle(sums.total, sums.gradient, session, kernel)
      try session.logMetric("angle_bptt", lastAngle)
    }
    result.pointee.applied = 1
    result.pointee.loss_sum = evaluation.lossSum
    result.pointee.errors = evaluation.errors
    result.pointee.free_steps = free.steps_used
  }

  private func add(_ set: OpaquePointer, to total: OpaquePointer, _ session: SessionCalls, _ kernel: KernelCalls)
    throws(PluginError)
  {
    for (source, target) in zip(session.tensors(set), session.tensors(total)) {
      try kernel.axpby(count: source.elementCount, alpha: 1, x: source.baseAddress, beta: 1, y: target.baseAddress)
    }
  }

  /// arccos of the cosine between two parameter-shaped sets, in degrees (P4 `--angle-grad`).
  private func angle(_ a: OpaquePointer, _ b: OpaquePointer, _ session: SessionCalls, _ kernel: KernelCalls)
    throws(PluginError) -> Double
  {
    var (ab, aa, bb) = (0.0, 0.0, 0.0)
    for (x, y) in zip(session.tensors(a), session.tensors(b)) {
      ab += try kernel.dot(count: x.elementCount, x: x.baseAddress, y: y.baseAddress)
      aa += try kernel.dot(count: x.elementCount, x: x.baseAddress, y: x.baseAddress)
      bb += try kernel.dot(count: y.elementCount, x: y.baseAddress, y: y.baseAddress)
    }
    return Angles.degrees(dot: ab, normSquaredA: aa, normSquaredB: bb)
  }

  private func buffers(_ session: SessionCalls) throws(PluginError) -> Buffers {
    if let buffers, buffers.batch == session.batchSize { return buffers }
    let sums =
      debug || reference != nil
      ? Sums(step: try session.makeGrads(), total: try session.makeGrads(), gradient: try session.makeGrads())
      : nil
    let made = Buffers(
      batch: session.batchSize, free: try session.makeStates(), nudged: try session.makeStates(),
      previous: try session.makeStates(), sums: sums)
    buffers = made
    return made
  }
}
