@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// A session over the built plugins on random minibatches, in float32 or float64, whose
/// phases and continual steps the tests drive through the host's own session calls.
final class StepRun {
  let session: TrainingSession
  let batch: Int
  /// The states the phases evolve, and a copy of them before the last step.
  let states: TensorSet
  let before: TensorSet
  private let dataSeed: UInt64
  private var batchesLoaded: UInt64 = 0

  /// `yaml` is a whole config; every run of the same config and `dataSeed` sees the same data.
  init(yaml: String, batch: Int, dataSeed: UInt64 = 5) throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let value = try ConfigParser.parse(text: yaml, source: "test config")
    let config = try RunConfig.resolve(value, source: "test config", catalog: catalog)
    session = try TrainingSession(config: config, trainingExamples: batch)
    self.batch = batch
    states = try TensorSet(dtype: config.dtype, shapes: session.model.stateShapes(batch: batch))
    before = try TensorSet(dtype: config.dtype, shapes: session.model.stateShapes(batch: batch))
    self.dataSeed = dataSeed
    try loadBatch()
  }

  /// The next minibatch: the host's random batch, from the next seed of this run's stream.
  func loadBatch() throws {
    try RandomBatch.begin(session, batch: batch, seed: dataSeed &+ batchesLoaded)
    batchesLoaded += 1
  }

  /// Runs the session's dynamics on `states` (steps 0: the configured free phase).
  func relax(beta: Double, steps: Int64, start: Int32) throws {
    try SessionOps(session: session).relax(states, beta: beta, steps: steps, start: start)
  }


  /// One continual step at nudge β: relax one step, then θ ← θ − η·coeff·Δθ through
  /// session->apply_step, with C-EP's coeff −1/(βB).
  func continualStep(beta: Double) throws {
    try before.copy(from: states)
    try relax(beta: beta, steps: 1, start: Int32(EQP_START_CURRENT))
    let coeff = -1 / (beta * Double(batch))
    try check("apply_step") { session.applyStep(before: before, after: states, coeff: coeff, scale: 1, err: $0) }
  }

  /// The same step spelled out as the definition of apply_step: step_update into a zeroed set
  /// of its own, then apply_update of it.
  func materialisedStep(beta: Double, into grads: TensorSet) throws {
    try before.copy(from: states)
    try relax(beta: beta, steps: 1, start: Int32(EQP_START_CURRENT))
    grads.zero()
    let coeff = -1 / (beta * Double(batch))
    try check("step_update") { session.stepUpdate(before: before, after: states, coeff: coeff, grads: grads, err: $0) }
    try check("apply_update") {
      session.applyUpdate(grads, scale: 1, call: "session.apply_update", err: $0)
    }
  }

  /// F(s) at the current states, from the model's cached input terms as they stand.
  func drive() throws -> [[Double]] {
    let out = try TensorSet(dtype: session.config.dtype, shapes: session.model.stateShapes(batch: batch))
    try check("drive") { err in
      session.withEval(states) { session.model.vtable.drive(session.model.instance, $0, out.views, err) }
    }
    return (0..<out.count).map { out.values($0) }
  }

  /// Re-caches the model's input terms from θ as it stands.
  func prepare() throws {
    try check("prepare") { err in
      session.withEval(nil) { session.model.vtable.prepare(session.model.instance, $0, err) }
    }
  }

  var parameterValues: [[Double]] { session.parameterValues().map(\.values) }
  var stateValues: [[Double]] { (0..<states.count).map { states.values($0) } }

  private func check(_ call: String, _ body: (OpaquePointer) -> EQP_Status) throws {
    let sink = ErrorSink()
    let status = body(sink.pointer)
    guard status == EQP_Status(EQP_OK) else { throw PluginFailure("\(call): \(sink.describe(status))") }
  }

  /// max |a − b| over max |b|, over every tensor.
  static func relativeGap(_ a: [[Double]], _ b: [[Double]]) -> Double {
    let scale = b.joined().map(abs).max() ?? 0
    let gap = zip(a.joined(), b.joined()).map { abs($0 - $1) }.max() ?? .infinity
    return gap / scale
  }

  /// a − b, tensor by tensor.
  static func difference(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    zip(a, b).map { zip($0, $1).map { $0 - $1 } }
  }
}
