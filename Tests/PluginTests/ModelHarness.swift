@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// A float64 session over the built plugins with a hand-made batch, for checks that call the
/// model's functions directly and compare them with finite differences.
final class ModelHarness {
  let session: TrainingSession
  let batch: Int
  let rng = RandomStream(seed: 99)
  private(set) var states: TensorSet

  /// `yaml` is a whole config; plugins come from `pluginFolders`, then the build folder.
  init(yaml: String, batch: Int, pluginFolders: [String] = []) throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: pluginFolders + [RepositoryPaths.binaryFolder]))
    let value = try ConfigParser.parse(text: yaml, source: "test config")
    let config = try RunConfig.resolve(value, source: "test config", catalog: catalog)
    session = try TrainingSession(config: config, trainingExamples: batch)
    self.batch = batch
    states = try TensorSet(dtype: config.dtype, shapes: session.model.stateShapes(batch: batch))
    let features = Int(session.model.inputShape.reduce(1, *))
    let classes = session.model.classCount
    let source = rng
    try session.beginBatch(examples: Array(0..<batch), labels: (0..<batch).map { $0 % classes }) { x, y in
      let inputs = x.assumingMemoryBound(to: Double.self)
      for index in 0..<(batch * features) { inputs[index] = source.uniform() }
      let targets = y.assumingMemoryBound(to: Double.self)
      for row in 0..<batch { targets[row * classes + row % classes] = 1 }
    }
    randomizeStates()
  }

  /// States uniform in (0.05, 0.95), inside every activation's range.
  func randomizeStates() {
    for layer in 0..<states.count {
      let values = states.data(layer)?.assumingMemoryBound(to: Double.self)
      for index in 0..<states.elementCount(layer) { values?[index] = 0.05 + 0.9 * rng.uniform() }
    }
  }

  func makeSet(_ shapes: [[Int64]]) throws -> TensorSet { try TensorSet(dtype: UInt32(EQP_DTYPE_F64), shapes: shapes) }
  var stateShapes: [[Int64]] { session.model.stateShapes(batch: batch) }
  var parameterShapes: [[Int64]] { session.model.parameterShapes }

  /// Calls a model function with an eval over `states`, failing the test on a bad status.
  func call(
    _ name: String, _ states: TensorSet? = nil,
    _ body: (EQP_ModelVTable, OpaquePointer, UnsafePointer<EQP_ModelEval>, OpaquePointer) -> EQP_Status
  ) throws {
    let sink = ErrorSink()
    let status = session.withEval(states ?? self.states) { body(session.model.vtable, session.model.instance, $0, sink.pointer) }
    guard status == EQP_Status(EQP_OK) else { throw PluginFailure("\(name): \(sink.describe(status))") }
  }

  /// Re-caches the model's input terms after θ was changed by hand.
  func reprepare() throws {
    try call("prepare") { vtable, instance, eval, err in vtable.prepare(instance, eval, err) }
  }

  /// Σ_b Φ at the current states.
  func phiSum() throws -> Double {
    var values = [Double](repeating: 0, count: batch)
    try values.withUnsafeMutableBufferPointer { buffer in
      try call("phi") { vtable, instance, eval, err in vtable.phi(instance, eval, buffer.baseAddress, err) }
    }
    return values.reduce(0, +)
  }

  /// Σ_b ℓ at the current states.
  func costSum() throws -> Double {
    var values = [Double](repeating: 0, count: batch)
    try values.withUnsafeMutableBufferPointer { buffer in
      try call("cost") { vtable, instance, eval, err in vtable.cost(instance, eval, buffer.baseAddress, err) }
    }
    return values.reduce(0, +)
  }

  /// ⟨g, F(s)⟩ for a fixed cotangent g (one tensor per layer).
  func drivePairing(_ cotangent: TensorSet) throws -> Double {
    let out = try makeSet(stateShapes)
    try call("drive") { vtable, instance, eval, err in vtable.drive(instance, eval, out.views, err) }
    var total = 0.0
    for layer in 0..<out.count {
      total += zip(out.values(layer), cotangent.values(layer)).map(*).reduce(0, +)
    }
    return total
  }

  /// The double at `index` of tensor `tensor` in `set`, as a mutable pointer.
  func element(_ set: TensorSet, _ tensor: Int, _ index: Int) -> UnsafeMutablePointer<Double>? {
    set.data(tensor).map { $0.assumingMemoryBound(to: Double.self) + index }
  }

  /// A few indices spread over a tensor of `count` elements (all when small).
  static func sampleIndices(_ count: Int, _ limit: Int = 12) -> [Int] {
    count <= limit ? Array(0..<count) : (0..<limit).map { $0 * (count - 1) / (limit - 1) }
  }
}

extension ModelHarness {
  /// Multiplies every parameter by `factor` (smaller weights make the dynamics contract) and
  /// re-caches the model's input terms.
  func scaleParameters(by factor: Double) throws {
    let parameters = session.parameters
    for tensor in 0..<parameters.count {
      for index in 0..<parameters.elementCount(tensor) { element(parameters, tensor, index)?.pointee *= factor }
    }
    try reprepare()
  }
}
