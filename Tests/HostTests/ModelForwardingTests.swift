@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// `host->model` checks what a dynamics or learner hands the model against its layout, and a
/// refusal names the model, the call and the tensor (eqprop.h, EQP_HostModelApi).
final class ModelForwardingTests: XCTestCase {
  private var session: TrainingSession!

  override func setUpWithError() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let text = """
      model: {id: dense, layers: [10, 16, 784]}
      dynamics: {id: discrete, free_steps: 3}
      learner: {id: ep, nudged_steps: 1, beta: 0.5}
      optimizer: {lr: [0.1, 0.1]}
      """
    let config = try RunConfig.resolve(
      ConfigParser.parse(text: text, source: "c.yaml"), source: "c.yaml", catalog: catalog)
    session = try TrainingSession(config: config, trainingExamples: 2)
    try session.beginBatch(examples: [0, 1], labels: [0, 1]) { _, _ in }
  }

  /// Calls host->model->drive with `states` in the eval and `out` as the output.
  private func drive(states: [[Int64]], out: [[Int64]]) throws -> (EQP_Status, String) {
    let model = session.model
    let stateSet = try TensorSet(dtype: model.dtype, shapes: states)
    let outSet = try TensorSet(dtype: model.dtype, shapes: out)
    let sink = ErrorSink()
    let status = session.withEval(stateSet) { eval in
      HostTables.api.pointee.model.pointee.drive(model.pointer, eval, outSet.views, sink.pointer)
    }
    return (status, sink.message)
  }

  func testFittingTensorsReachTheModel() throws {
    let shapes = session.model.stateShapes(batch: 2)
    let (status, message) = try drive(states: shapes, out: shapes)
    XCTAssertEqual(status, EQP_Status(EQP_OK), message)
  }

  func testAStateOfTheWrongWidthIsRefusedBeforeTheModelRuns() throws {
    let (status, message) = try drive(
      states: [[2, 10], [2, 5]], out: session.model.stateShapes(batch: 2))
    XCTAssertEqual(status, EQP_Status(EQP_ERR_INVALID_ARGUMENT))
    XCTAssertEqual(
      message,
      "model 'dense' (\(session.model.plugin.file)): drive was not called: the caller's "
        + "ev->states[1] is f32 [2, 5], but the layout gives f32 [2, 16]")
  }

  func testAnOutputForAnotherBatchIsRefused() throws {
    let (status, message) = try drive(
      states: session.model.stateShapes(batch: 2), out: session.model.stateShapes(batch: 3))
    XCTAssertEqual(status, EQP_Status(EQP_ERR_INVALID_ARGUMENT))
    XCTAssertTrue(
      message.hasSuffix("the caller's out[0] is f32 [3, 10], but the layout gives f32 [2, 10]"),
      message)
  }
}
