@preconcurrency import CEqprop
import Foundation

/// The gradient-matching checks of the seeds, in float64 (spec §4):
/// - `gdu`: EP's per-step updates against BPTT through the last K steps of the free phase
///   (Ernoult et al. 2019, Thm 1);
/// - `rbp`: EP's second-phase temporal derivatives against recurrent backpropagation's error
///   signals at the fixed point (Scellier & Bengio 2019).
///
/// BPTT's backward steps and EP's nudged steps both run t = 0…K−1, so they advance in
/// lockstep and the relative errors accumulate online: memory is O(|θ|), not K·|θ|.
public struct GDUCheck {
  public enum Mode: String, Sendable {
    case gdu, rbp
  }

  let session: TrainingSession
  let ops: SessionOps
  /// Elements sampled per layer or matrix for the plots.
  let sampleCount = 5

  public init(session: TrainingSession) throws(PluginFailure) {
    guard session.config.dtype == UInt32(EQP_DTYPE_F64) else {
      throw PluginFailure("check: the config's dtype is f32; the checks need `dtype: f64`")
    }
    self.session = session
    ops = SessionOps(session: session)
  }

  /// Runs one check on the loaded batch at nudge `beta` over `steps` steps.
  public func run(_ mode: Mode, beta: Double, steps: Int) throws(PluginFailure) -> GDUResult {
    guard beta != 0, steps >= 1 else {
      throw PluginFailure("check: β must be non-zero and K ≥ 1 (got β = \(beta), K = \(steps))")
    }
    let batch = Double(session.batchSize)
    let epsilon = session.dynamics.info.epsilon
    let freeSteps = session.dynamics.info.free_steps
    guard freeSteps > Int64(steps) else {
      throw PluginFailure("check: the free phase (T = \(freeSteps)) must be longer than K = \(steps)")
    }
    // Free phase: T − K steps, then K recorded single steps, so BPTT sees the real trajectory.
    var trajectory: [TensorSet] = []
    let state = try ops.states()
    try ops.relax(state, beta: 0, steps: freeSteps - Int64(steps), start: Int32(EQP_START_ZERO))
    var lastStep = EQP_RunResult()
    for _ in 0..<steps {
      let snapshot = try ops.states()
      try snapshot.copy(from: state)
      trajectory.append(snapshot)
      lastStep = try ops.relax(state, beta: 0, steps: 1, start: Int32(EQP_START_CURRENT), noEarlyStop: true)
    }
    let fixedPoint = try ops.states()
    try fixedPoint.copy(from: state)
    trajectory.append(fixedPoint)
    // RBP differentiates G at s* only; the mask comes from where one more step lands.
    let landing = try ops.states()
    if mode == .rbp {
      try landing.copy(from: fixedPoint)
      try ops.relax(landing, beta: 0, steps: 1, start: Int32(EQP_START_CURRENT), noEarlyStop: true)
    }

    var cotangent = try ops.states()
    var previousCotangent = try ops.states()
    try ops.costGrad(fixedPoint, coeff: 1 / batch, into: cotangent)
    let stepGradient = try ops.parameterSet()
    let epUpdate = try ops.parameterSet()
    let nudged = try ops.states()
    try nudged.copy(from: fixedPoint)
    let beforeNudge = try ops.states()

    let layers = session.model.layers
    // The checks track weight matrices, not biases (spec §4, pitfall 16).
    let weights = session.model.parameters.enumerated().filter { $0.element.role != UInt32(EQP_PARAM_BIAS) }
    var neuronErrors = layers.map { RelativeErrorAccumulator(count: $0.perExample) }
    var weightErrors = weights.map { RelativeErrorAccumulator(count: Int($0.element.shape.reduce(1, *))) }
    var cumulativeReference = weights.map { [Double](repeating: 0, count: Int($0.element.shape.reduce(1, *))) }
    var firstReference: [[Double]] = []
    var firstEP: [[Double]] = []
    var lastEP: [[Double]] = []
    let neuronSamples = layers.enumerated().map { index, layer in Self.sampleIndices(layer.perExample, sampleCount, firstN: index == 0) }
    let weightSamples = weights.map { Self.sampleIndices(Int($0.element.shape.reduce(1, *)), sampleCount, firstN: false) }
    var neuronSeries = neuronSamples.map { $0.map { _ in (reference: [Double](), ep: [Double]()) } }
    var weightSeries = weightSamples.map { $0.map { _ in (reference: [Double](), ep: [Double]()) } }

    for t in 0..<steps {
      // Reference, neurons: ∂L/∂s_{T−t} (BPTT) or s̄_t (RBP), summed over the batch.
      let referenceNeurons = (0..<layers.count).map { Self.batchSum(cotangent, $0, layers[$0].perExample) }
      // Reference, weights: this step's ∇_θ(t) (or RBP's increment), accumulated.
      stepGradient.zero()
      let before = mode == .gdu ? trajectory[steps - 1 - t] : fixedPoint
      let after = mode == .gdu ? trajectory[steps - t] : landing
      try ops.stepVjp(before: before, after: after, cotAfter: cotangent, cotBefore: previousCotangent, cotParams: stepGradient)
      swap(&cotangent, &previousCotangent)
      for (slot, weight) in weights.enumerated() {
        let values = stepGradient.values(weight.offset)
        for index in values.indices { cumulativeReference[slot][index] += values[index] }
      }
      // EP: one nudged step; dS = −Δs/(βε·B) summed over the batch, DT cumulative.
      try beforeNudge.copy(from: nudged)
      try ops.relax(nudged, beta: beta, steps: 1, start: Int32(EQP_START_CURRENT), noEarlyStop: true)
      let epNeurons = (0..<layers.count).map { layer in
        zip(Self.batchSum(nudged, layer, layers[layer].perExample), Self.batchSum(beforeNudge, layer, layers[layer].perExample))
          .map { -($0 - $1) / (beta * epsilon * batch) }
      }
      epUpdate.zero()
      try ops.paramGrad(nudged, coeff: -1 / (beta * batch), into: epUpdate)
      try ops.paramGrad(fixedPoint, coeff: 1 / (beta * batch), into: epUpdate)
      let epCumulative = weights.map { epUpdate.values($0.offset) }

      for layer in layers.indices {
        neuronErrors[layer].add(reference: referenceNeurons[layer], estimate: epNeurons[layer])
        for (slot, element) in neuronSamples[layer].enumerated() {
          neuronSeries[layer][slot].reference.append(referenceNeurons[layer][element])
          neuronSeries[layer][slot].ep.append(epNeurons[layer][element])
        }
      }
      for slot in weights.indices {
        weightErrors[slot].add(reference: cumulativeReference[slot], estimate: epCumulative[slot])
        for (sample, element) in weightSamples[slot].enumerated() {
          // Stored cumulative; the result turns them into per-step values for the plots.
          weightSeries[slot][sample].reference.append(cumulativeReference[slot][element])
          weightSeries[slot][sample].ep.append(epCumulative[slot][element])
        }
      }
      if t == 0 {
        firstReference = cumulativeReference
        firstEP = epCumulative
      }
      lastEP = epCumulative
    }
    let referenceTotal = zip(cumulativeReference, firstReference).flatMap { zip($0, $1).map { $0 - $1 } }
    let epTotal = zip(lastEP, firstEP).flatMap { zip($0, $1).map { $0 - $1 } }
    let agreement = Self.signAgreement(cumulativeReference.flatMap { $0 }, lastEP.flatMap { $0 })
    return GDUResult(
      mode: mode.rawValue, beta: beta, nudgedSteps: steps, freeSteps: freeSteps,
      freeResidual: lastStep.residual,
      neurons: layers.indices.map { layer in
        let summary = neuronErrors[layer].summary
        return .init(
          name: layers[layer].name, relativeError: summary.mean, relativeErrorStd: summary.std,
          samples: zip(neuronSamples[layer], neuronSeries[layer]).map { ($0, $1.reference, $1.ep) })
      },
      weights: weights.indices.map { slot in
        let summary = weightErrors[slot].summary
        return .init(
          name: weights[slot].element.name, relativeError: summary.mean, relativeErrorStd: summary.std,
          samples: zip(weightSamples[slot], weightSeries[slot]).map { element, series in
            (element, Self.increments(series.reference), Self.increments(series.ep))
          })
      },
      angleDegrees: Self.angle(referenceTotal, epTotal), signAgreement: agreement.same,
      bothZero: agreement.zero)
  }

  /// Σ over the batch rows of a layer's state, per unit.
  static func batchSum(_ set: TensorSet, _ layer: Int, _ width: Int) -> [Double] {
    let values = set.values(layer)
    var sums = [Double](repeating: 0, count: width)
    for (index, value) in values.enumerated() { sums[index % width] += value }
    return sums
  }

  /// Per-step increments of a cumulative series, with the first step set to 0 (spec §4).
  static func increments(_ cumulative: [Double]) -> [Double] {
    cumulative.indices.map { $0 == 0 ? 0 : cumulative[$0] - cumulative[$0 - 1] }
  }

  /// Indices of up to `count` elements: the first ones (output units 0–4), else spread evenly.
  static func sampleIndices(_ total: Int, _ count: Int, firstN: Bool) -> [Int] {
    guard total > count else { return Array(0..<total) }
    if firstN { return Array(0..<count) }
    return (0..<count).map { ($0 * 2 + 1) * total / (2 * count) }
  }

  static func angle(_ a: [Double], _ b: [Double]) -> Double {
    let dot = zip(a, b).map(*).reduce(0, +)
    let norms = (a.map { $0 * $0 }.reduce(0, +) * b.map { $0 * $0 }.reduce(0, +)).squareRoot()
    guard norms > 0 else { return .nan }
    return acos(max(-1, min(1, dot / norms))) * 180 / .pi
  }

  static func signAgreement(_ reference: [Double], _ ep: [Double]) -> (same: Double, zero: Double) {
    guard !reference.isEmpty else { return (0, 0) }
    var same = 0
    var zero = 0
    for (n, d) in zip(reference, ep) {
      if n == 0 && d == 0 { zero += 1 } else if n != 0 && d != 0 && (n > 0) == (d > 0) { same += 1 }
    }
    return (Double(same) / Double(reference.count), Double(zero) / Double(reference.count))
  }
}
