@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// session->apply_step (ABI 1.2): a model's fused apply_step against the materialised path
/// that defines it (step_update into a set, the optimizer, prepare), step by step and through
/// whole C-EP batches, and the materialised path itself when momentum rules the fused one out.
final class ApplyStepTests: XCTestCase {
  /// The models with apply_step, each with its learning-rate list and dynamics; two hidden
  /// layers, so that some weights join two moving layers.
  private static let models: [(name: String, model: String, lr: String, dynamics: String)] = [
    ("dense", "{id: dense, layers: [3, 5, 4, 6]}", "[0.5, 0.4, 0.3]", "{id: discrete, free_steps: 20}"),
    (
      "dense, cross-entropy", "{id: dense, layers: [3, 5, 4, 6], cost: cross_entropy}", "[0.5, 0.4, 0.3]",
      "{id: discrete, free_steps: 20}"
    ),
    ("vf", "{id: vf, layers: [3, 5, 4, 6], angle: 60}", "[0.5, 0.4, 0.3]", "{id: discrete, free_steps: 20}"),
    (
      "vf, continuous", "{id: vf, layers: [3, 5, 4, 6], form: continuous, activation: tanh}", "[0.5, 0.4, 0.3]",
      "{id: discrete, free_steps: 20, epsilon: 0.5}"
    ),
  ]

  private static func config(
    model: String, lr: String, dynamics: String, dtype: String = "f64", momentum: Double = 0
  ) -> String {
    """
    dtype: \(dtype)
    seed: 3
    model: \(model)
    dynamics: \(dynamics)
    learner: {id: cep, nudged_steps: 6, beta: 0.5}
    optimizer: {lr: \(lr), momentum: \(momentum)}
    """
  }

  /// Two sessions of one config, the second held to the materialised path.
  private func fusedAndMaterialised(_ yaml: String, batch: Int = 4) throws -> (fused: StepRun, plain: StepRun) {
    let fused = try StepRun(yaml: yaml, batch: batch)
    let plain = try StepRun(yaml: yaml, batch: batch)
    plain.session.fusedStepsAllowed = false
    return (fused, plain)
  }

  func testInstancesOfferApplyStepWhereTheyImplementIt() throws {
    let cases = [
      ("{id: dense, layers: [3, 5, 6]}", true), ("{id: dense, layers: [3, 5, 6], cost: cross_entropy}", true),
      ("{id: vf, layers: [3, 5, 6]}", true),
      // Tied, vf steps by EP's rule, which the host applies from param_grad.
      ("{id: vf, layers: [3, 5, 6], tied: true}", false), ("{id: hopfield, layers: [3, 5, 6]}", false),
    ]
    for (model, offered) in cases {
      let run = try StepRun(
        yaml: Self.config(model: model, lr: "[0.1, 0.1]", dynamics: "{id: discrete, free_steps: 5}"), batch: 2)
      XCTAssertEqual(run.session.model.appliesSteps, offered, model)
      XCTAssertEqual(run.session.fusesSteps, offered, model)
    }
  }

  /// K steps fused and K steps materialised give the same θ to rounding; the fused model's
  /// cached input term is the one a fresh prepare computes, so later phases agree too.
  func testFusedStepsMatchTheMaterialisedPathAndKeepTheInputTermCurrent() throws {
    for entry in Self.models {
      let (fused, plain) = try fusedAndMaterialised(
        Self.config(model: entry.model, lr: entry.lr, dynamics: entry.dynamics))
      XCTAssertTrue(fused.session.fusesSteps, entry.name)
      XCTAssertFalse(plain.session.fusesSteps, entry.name)
      let initial = plain.parameterValues
      for run in [fused, plain] {
        try run.relax(beta: 0, steps: 0, start: Int32(EQP_START_ZERO))
        for _ in 0..<5 { try run.continualStep(beta: 0.5) }
      }
      // The steps move θ by far more than the tolerance: a wrong rate, sign or term shows.
      XCTAssertGreaterThan(StepRun.relativeGap(plain.parameterValues, initial), 1e-4, "\(entry.name): θ moved")
      XCTAssertLessThan(StepRun.relativeGap(fused.parameterValues, plain.parameterValues), 1e-12, "\(entry.name): θ")
      for run in [fused, plain] { try run.relax(beta: 0.5, steps: 3, start: Int32(EQP_START_CURRENT)) }
      XCTAssertLessThan(StepRun.relativeGap(fused.stateValues, plain.stateValues), 1e-12, "\(entry.name): next phase")
      let fromCache = try fused.drive()
      try fused.prepare()
      XCTAssertLessThan(StepRun.relativeGap(fromCache, try fused.drive()), 1e-12, "\(entry.name): F from the cache")
    }
  }

  /// Two C-EP minibatches through the `cep` learner, fused and materialised: the same θ, to
  /// rounding in float64 and within float32's rounding, measured against θ's own change
  /// (a wrong sign or a missing term is of the order of that change).
  func testContinualEPTrainsTheSameFusedAndMaterialised() throws {
    for (dtype, tolerance) in [("f64", 1e-11), ("f32", 1e-3)] {
      for entry in Self.models {
        let (fused, plain) = try fusedAndMaterialised(
          Self.config(model: entry.model, lr: "[0.05, 0.04, 0.03]", dynamics: entry.dynamics, dtype: dtype), batch: 5)
        let initial = plain.parameterValues
        for run in [fused, plain] {
          for index in 0..<2 {
            if index > 0 { try run.loadBatch() }
            _ = try run.session.trainBatch(epoch: 0, index: index)
          }
        }
        let change = StepRun.difference(plain.parameterValues, initial).joined().map(abs).max() ?? 0
        let gap = StepRun.difference(fused.parameterValues, plain.parameterValues).joined().map(abs).max() ?? .infinity
        XCTAssertGreaterThan(change, 1e-4, "\(dtype), \(entry.name): training moved θ")
        XCTAssertLessThan(gap / change, tolerance, "\(dtype), \(entry.name): fused against materialised")
      }
    }
  }

  /// With momentum the step depends on the velocity, which only the host's optimizer keeps:
  /// apply_step must take the materialised path and be exactly step_update + apply_update.
  func testWithMomentumTheStepIsMaterialisedAsItsDefinitionSays() throws {
    let entry = Self.models[0]
    let yaml = Self.config(model: entry.model, lr: entry.lr, dynamics: entry.dynamics, momentum: 0.9)
    let run = try StepRun(yaml: yaml, batch: 4)
    let reference = try StepRun(yaml: yaml, batch: 4)
    XCTAssertTrue(run.session.model.appliesSteps)
    XCTAssertFalse(run.session.fusesSteps, "momentum keeps the step in the host")
    let grads = try TensorSet(dtype: UInt32(EQP_DTYPE_F64), shapes: reference.session.model.parameterShapes)
    for r in [run, reference] { try r.relax(beta: 0, steps: 0, start: Int32(EQP_START_ZERO)) }
    let initial = run.parameterValues
    for _ in 0..<4 {
      try run.continualStep(beta: 0.5)
      try reference.materialisedStep(beta: 0.5, into: grads)
    }
    XCTAssertGreaterThan(StepRun.relativeGap(run.parameterValues, initial), 1e-4, "θ moved")
    XCTAssertEqual(run.parameterValues, reference.parameterValues, "the same operations, bit for bit")
    XCTAssertEqual(run.stateValues, reference.stateValues)
  }

  /// apply_step writes θ in place, so it must be handed the eval's own θ: another set is
  /// refused before anything is written.
  func testApplyStepRefusesParametersThatAreNotTheEvalsOwn() throws {
    let entry = Self.models[0]
    let run = try StepRun(yaml: Self.config(model: entry.model, lr: entry.lr, dynamics: entry.dynamics), batch: 2)
    let model = run.session.model
    let other = try TensorSet(dtype: UInt32(EQP_DTYPE_F64), shapes: model.parameterShapes)
    let rates = [Double](repeating: 0.1, count: other.count)
    let applyStep = try XCTUnwrap(model.vtable.apply_step)
    let sink = ErrorSink()
    let before = run.parameterValues
    let status = rates.withUnsafeBufferPointer { rates in
      run.session.withEval(run.before) { eval in
        applyStep(model.instance, eval, UnsafePointer(run.states.views), rates.baseAddress, other.views, sink.pointer)
      }
    }
    XCTAssertEqual(status, EQP_Status(EQP_ERR_INVALID_ARGUMENT))
    XCTAssertTrue(sink.message.contains("apply_step params[0] is not the tensor eval.params[0] holds"), sink.message)
    XCTAssertEqual(run.parameterValues, before)
  }
}
