@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// Persistent states (Scellier & Bengio 2017): an example's free phase starts where its last
/// one ended, across epochs, and examples never share a state.
final class PersistentStateTests: XCTestCase {
  private func session(persistent: Bool) throws -> TrainingSession {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let text = """
      dtype: f64
      model: {id: hopfield, layers: [3, 4, 5], activation: hardsigm, clamp: true}
      dynamics: {id: discrete, epsilon: 0.5, free_steps: 3, persistent: \(persistent)}
      learner: {id: ep, nudged_steps: 2, beta: 0.5}
      optimizer: {lr: [0, 0]}
      """
    let config = try RunConfig.resolve(ConfigParser.parse(text: text, source: "test"), source: "test", catalog: catalog)
    return try TrainingSession(config: config, trainingExamples: 4)
  }

  /// Loads examples `indices` of a fixed 4-example set with distinct inputs.
  private func load(_ session: TrainingSession, _ indices: [Int]) throws {
    try session.beginBatch(examples: indices, labels: indices.map { $0 % 3 }) { x, y in
      let inputs = x.assumingMemoryBound(to: Double.self)
      for (row, example) in indices.enumerated() {
        for k in 0..<5 { inputs[row * 5 + k] = Double((example * 7 + k * 3) % 10) / 10 }
      }
      let targets = y.assumingMemoryBound(to: Double.self)
      for (row, example) in indices.enumerated() { targets[row * 3 + example % 3] = 1 }
    }
  }

  private func freePhase(_ session: TrainingSession) throws -> [[Double]] {
    let states = try SessionOps(session: session).states()
    try SessionOps(session: session).relax(states, beta: 0, steps: 0, start: Int32(EQP_START_DEFAULT))
    return (0..<states.count).map { states.values($0) }
  }

  /// Rows of example `row` in a batch's state values.
  private func row(_ values: [[Double]], _ row: Int, widths: [Int]) -> [Double] {
    zip(values, widths).flatMap { layer, width in Array(layer[(row * width)..<((row + 1) * width)]) }
  }

  func testAnExamplesFreePhaseContinuesFromItsOwnLastState() throws {
    let widths = [3, 4]
    let persistent = try session(persistent: true)
    let fresh = try session(persistent: false)
    // Epoch 1: examples 0 and 1, then 2 and 3. Epoch 2: the order changes (1 with 3).
    try load(persistent, [0, 1])
    let first = try freePhase(persistent)
    try load(persistent, [2, 3])
    _ = try freePhase(persistent)
    try load(persistent, [3, 1])
    let second = try freePhase(persistent)
    // Example 1's second free phase = 3 more steps from where its first ended, i.e. 6 steps
    // from zero; a non-persistent session needs 6 steps to land there.
    try load(fresh, [3, 1])
    let states = try SessionOps(session: fresh).states()
    try SessionOps(session: fresh).relax(states, beta: 0, steps: 6, start: Int32(EQP_START_ZERO))
    let sixSteps = (0..<states.count).map { states.values($0) }
    let example1 = row(second, 1, widths: widths)
    XCTAssertEqual(example1, row(sixSteps, 1, widths: widths))
    XCTAssertNotEqual(example1, row(first, 1, widths: widths), "the state must have moved on")
    // Example 3 (second batch of epoch 1) kept its own state, not example 1's.
    XCTAssertEqual(row(second, 0, widths: widths), row(sixSteps, 0, widths: widths))
  }

  func testWithoutPersistenceEveryFreePhaseStartsFromZero() throws {
    let fresh = try session(persistent: false)
    try load(fresh, [0, 1])
    let first = try freePhase(fresh)
    try load(fresh, [0, 1])
    XCTAssertEqual(try freePhase(fresh), first)
  }
}
