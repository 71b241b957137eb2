@preconcurrency import CEqprop

/// One training session (behind `EQP_Session *`): the model, dynamics and learner instances,
/// θ and the optimizer, the current minibatch, and the services learners call.
///
/// Calls from plugins pass the caller's error sink down to the model and dynamics, so a
/// failure deep inside reaches the user with every layer's context.
public final class TrainingSession {
  public let config: RunConfig
  public let model: ModelBinding
  let dynamics: DynamicsBinding
  let learner: LearnerBinding
  let parameters: TensorSet
  let optimizer: Optimizer
  let rng: RandomStream
  let kernel: KernelAccess
  /// The job this session is one rank of (`SingleProcess` unless launched by mpirun).
  public let communicator: any Communicator
  /// How a continual learner's step updates are summed over ranks.
  let continualReduce: ContinualReduce
  /// The states relaxations with a persistent start read and write: every training example's
  /// in one process; in a data-parallel run, the current shard's rows, fetched from
  /// `persistentShards` at each batch's start.
  private(set) var persistent: PersistentStates?
  /// A data-parallel run's persistent states, each rank keeping its share of the examples.
  let persistentShards: PersistentStateShards?

  // The current minibatch.
  private(set) var batchSize = 0
  private var input: TensorSet?
  private var target: TensorSet?
  private var scores: TensorSet?
  private var labels: [Int] = []
  /// The current batch's examples as `persistent` indexes them.
  private var examples: [Int] = []
  /// The global batch this rank relaxes a shard of, in a data-parallel run.
  private(set) var shard: BatchShard?
  private var globalBatch: [Int] = []
  private var workspace: OpaquePointer?
  private var gradients: TensorSet
  /// The per-step gradient of `applyStep` when the model cannot apply a step itself; made at
  /// the first such step and reused.
  var stepScratch: TensorSet?
  /// The weighted sum over ranks of a continual learner's update; made at the first such step.
  var reduceScratch: TensorSet?
  /// apply_step's per-parameter rates, filled in place at each step (no allocation in the loop).
  var stepRates: [Double] = []
  /// Lets `applyStep` use the model's apply_step; tests turn it off to compare with the
  /// materialised path.
  var fusedStepsAllowed = true
  /// Sets made by the learner through states_create/grads_create, alive until the session ends
  /// or the learner destroys them.
  private var learnerSets: [ObjectIdentifier: TensorSet] = [:]
  private var lossScratch: [Double] = []
  private var predictionScratch: [Int64] = []
  /// Metrics logged by plugins and hooks since the last `takeMetrics()`.
  public private(set) var metrics = MetricSums()
  /// Set while a learner trains a batch: `evaluate` then also measures the saturation of the
  /// states it is given (the free phase's end).
  private var measuringSaturation = false
  /// Where training stands, for a divergence's message: set by `trainBatch`, and by the
  /// trainer before each test batch.
  var stage: TrainingStage?
  /// The first NaN or Inf found in states or θ; once set, the session has diverged.
  var divergence: Divergence?
  /// Relaxations and θ updates of the current batch so far, for a divergence's message.
  var relaxations = 0
  var updates = 0
  /// Of those updates, the ones the model wrote into θ itself (apply_step): unchecked until
  /// the batch's end.
  var stepsAppliedByModel = 0

  /// Creates the instances, allocates θ and initialises it from the seed. A rank of a
  /// data-parallel run calls `adoptLeaderState` next, once every rank has got this far.
  public init(
    config: RunConfig, trainingExamples: Int, communicator: any Communicator = SingleProcess()
  ) throws(PluginFailure) {
    self.config = config
    self.communicator = communicator
    continualReduce = config.continualReduce
    model = try ModelBinding(config.model, dtype: config.dtype)
    dynamics = try DynamicsBinding(config.dynamics, model: model)
    learner = try LearnerBinding(config.learner, model: model)
    rng = RandomStream(seed: config.seed)
    kernel = KernelAccess(dtype: config.dtype)
    parameters = try TensorSet(dtype: config.dtype, shapes: model.parameterShapes)
    gradients = try TensorSet(dtype: config.dtype, shapes: model.parameterShapes)
    optimizer = try Optimizer(
      rates: config.learningRates, momentum: config.momentum,
      groups: model.parameters.map(\.learningRateGroup), shapes: model.parameterShapes,
      dtype: config.dtype)
    let layerSizes = model.layers.map(\.perExample)
    let elementSize = HostMemory.elementSize(config.dtype) ?? 4
    let keepsStates = dynamics.info.persistent != 0
    persistent =
      keepsStates && communicator.size == 1
      ? PersistentStates(exampleCount: trainingExamples, layerSizes: layerSizes, elementSize: elementSize)
      : nil
    persistentShards =
      keepsStates && communicator.size > 1
      ? PersistentStateShards(
        exampleCount: trainingExamples, layerSizes: layerSizes, elementSize: elementSize,
        communicator: communicator)
      : nil
    let sink = ErrorSink()
    let status = model.vtable.init_params(model.instance, parameters.views, parameters.count, rng.pointer, sink.pointer)
    try PluginCall.check(status, sink, model.plugin, "init_params")
    try checkInitialParameters()
  }

  var pointer: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

  static func from(_ pointer: OpaquePointer) -> TrainingSession {
    Unmanaged<TrainingSession>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  // MARK: Minibatches

  /// Loads a minibatch: `fill` writes x [B, input] and the one-hot y [B, classes] (zeroed
  /// buffers of the session's dtype); then the model caches its input terms. In a
  /// data-parallel run, a training batch's `examples` are this rank's `shard` of `global`,
  /// and the shard's persistent states are fetched from the ranks that keep them.
  public func beginBatch(
    examples: [Int], labels: [Int], shard: BatchShard? = nil, of global: [Int] = [],
    fill: (_ input: UnsafeMutableRawPointer, _ target: UnsafeMutableRawPointer) -> Void
  ) throws(PluginFailure) {
    self.shard = shard
    globalBatch = global
    var examples = examples
    if let persistentShards, let shard {
      persistent = try persistentShards.fetch(global, shard: shard.positions)
      examples = Array(0..<shard.positions.count)
    }
    let size = examples.count
    if size != batchSize || input == nil {
      input = try TensorSet(dtype: config.dtype, shapes: [[Int64(size)] + model.inputShape])
      target = try TensorSet(dtype: config.dtype, shapes: [[Int64(size), Int64(model.classCount)]])
      scores = try TensorSet(dtype: config.dtype, shapes: [[Int64(size), Int64(model.classCount)]])
      workspace = try model.workspace(batch: size)
      lossScratch = [Double](repeating: 0, count: size)
      predictionScratch = [Int64](repeating: 0, count: size)
      batchSize = size
    }
    self.examples = examples
    self.labels = labels
    guard let input, let target, let x = input.data(0), let y = target.data(0) else {
      throw PluginFailure("internal: batch buffers missing")
    }
    fill(x, y)
    try prepareModel()
  }

  /// Runs the learner on the current batch and applies its estimate.
  public func trainBatch(epoch: Int, index: Int) throws(PluginFailure) -> BatchOutcome {
    gradients.zero()
    var args = EQP_BatchArgs()
    args.struct_size = Int(EQP_BatchArgs_STRUCT_SIZE)
    args.grads = gradients.pointer
    args.epoch = Int64(epoch)
    args.batch_index = Int64(index)
    var result = EQP_BatchResult()
    result.struct_size = Int(EQP_BatchResult_STRUCT_SIZE)
    let sink = ErrorSink()
    stage = .training(epoch: epoch + 1, batch: index + 1)
    relaxations = 0
    updates = 0
    stepsAppliedByModel = 0
    measuringSaturation = true
    let status = learner.vtable.train_batch(learner.instance, pointer, &args, &result, sink.pointer)
    measuringSaturation = false
    // Whatever the learner made of it, a divergence it met is what stops the run.
    if let divergence { throw PluginFailure(divergence.description) }
    try PluginCall.check(status, sink, learner.plugin, "train_batch (epoch \(epoch + 1), batch \(index + 1))")
    let learnerName = Self.name(learner.plugin)
    if let persistentShards, let shard, let persistent {
      try persistentShards.giveBack(globalBatch, shard: shard.positions, rows: persistent)
    }
    if result.applied == 0 {
      try sumOverRanks(gradients)
      try optimizer.apply(gradients, to: parameters, scale: 1, kernel: kernel)
      try checkParameters(
        culprit: learnerName,
        event: "with the batch's update (its estimate, applied by the host's optimizer)")
    } else if isDistributed && !reducesEveryStep {
      try averageOverRanks()
      try checkParameters(
        culprit: stepsAppliedByModel > 0 ? Self.name(model.plugin) : learnerName,
        event: "with the batch's \(updates) updates, averaged over \(communicator.size) ranks")
    } else if stepsAppliedByModel > 0 {
      try checkParameters(
        culprit: Self.name(model.plugin),
        event: "with the \(updates) updates of the batch (its apply_step, called by \(learnerName))")
    } else {
      // Updates through apply_update were checked one by one; this catches θ written any
      // other way.
      try checkParameters(culprit: learnerName, event: "by the end of the batch")
    }
    return BatchOutcome(lossSum: result.loss_sum, errors: result.errors, freeSteps: result.free_steps)
  }

  /// Free phase from zero on the current batch; errors counted (evaluation).
  public func evaluateBatch() throws(PluginFailure) -> (lossSum: Double, errors: Int64) {
    let states = try TensorSet(dtype: config.dtype, shapes: model.stateShapes(batch: batchSize))
    let sink = ErrorSink()
    var args = EQP_RelaxArgs()
    args.struct_size = Int(EQP_RelaxArgs_STRUCT_SIZE)
    args.states = states.pointer
    args.start = UInt32(EQP_START_ZERO)
    args.steps = Int64(config.evalSteps)
    var result = EQP_RunResult()
    relaxations = 0
    let status = relax(args, &result, sink.pointer)
    if let divergence { throw PluginFailure(divergence.description) }
    try PluginCall.check(status, sink, dynamics.plugin, "run (evaluation)")
    var loss = 0.0
    var errors: Int64 = 0
    try PluginCall.check(evaluate(states, &loss, &errors, sink.pointer), sink, model.plugin, "evaluate")
    return (loss, errors)
  }

  /// The values of θ, by parameter name (for checkpoints and tests).
  public func parameterValues() -> [(name: String, shape: [Int64], values: [Double])] {
    model.parameters.enumerated().map { index, parameter in
      (parameter.name, parameter.shape, parameters.values(index))
    }
  }

  /// Raw bytes of θ tensor `index` in the session's dtype.
  public func parameterBytes(_ index: Int) -> [UInt8] { parameters.bytes(index) }

  /// Replaces θ tensor `index` with raw bytes of the session's dtype (a checkpoint).
  public func setParameterBytes(_ index: Int, _ bytes: [UInt8]) throws(PluginFailure) {
    guard index < parameters.count, parameters.setBytes(index, bytes) else {
      throw PluginFailure(
        "parameter \(index) needs \(index < parameters.count ? parameters.byteCount(index) : 0) bytes, got \(bytes.count)")
    }
  }

  /// The metrics logged since the last call, which start again from nothing.
  public func takeMetrics() -> MetricSums {
    defer { metrics = MetricSums() }
    return metrics
  }

  /// The gradient estimate of the last batch, per parameter tensor (checks and tests).
  func gradientValues() -> [[Double]] { (0..<gradients.count).map { gradients.values($0) } }

  /// How many tensor sets plugins hold right now (memory checks).
  var pluginSetCount: Int { learnerSets.count }

  /// Bytes of the tensor sets plugins hold right now: a learner's memory beyond θ.
  public var pluginSetBytes: Int {
    learnerSets.values.reduce(0) { total, set in total + (0..<set.count).reduce(0) { $0 + set.byteCount($1) } }
  }

  // MARK: Services for plugins (EQP_HostSessionApi)

  func makeSet(shapes: [[Int64]], out: UnsafeMutablePointer<OpaquePointer?>?, err: OpaquePointer?) -> EQP_Status {
    guard let out else { return refuse(err, EQP_ERR_INVALID_ARGUMENT, "session: out is NULL") }
    do {
      let set = try TensorSet(dtype: config.dtype, shapes: shapes)
      learnerSets[ObjectIdentifier(set)] = set
      out.pointee = set.pointer
      return EQP_Status(EQP_OK)
    } catch {
      return refuse(err, EQP_ERR_OUT_OF_MEMORY, error.message)
    }
  }

  func states(out: UnsafeMutablePointer<OpaquePointer?>?, err: OpaquePointer?) -> EQP_Status {
    makeSet(shapes: model.stateShapes(batch: batchSize), out: out, err: err)
  }

  func grads(out: UnsafeMutablePointer<OpaquePointer?>?, err: OpaquePointer?) -> EQP_Status {
    makeSet(shapes: model.parameterShapes, out: out, err: err)
  }

  func destroy(_ set: OpaquePointer) { learnerSets[ObjectIdentifier(TensorSet.from(set))] = nil }

  var parametersPointer: OpaquePointer { parameters.pointer }

  /// Runs the dynamics on `args.states`, handling the start policy and persistent states.
  func relax(_ args: EQP_RelaxArgs, _ result: UnsafeMutablePointer<EQP_RunResult>?, _ err: OpaquePointer?)
    -> EQP_Status
  {
    guard let handle = args.states, let result else {
      return refuse(err, EQP_ERR_INVALID_ARGUMENT, "session.relax: states or out is NULL")
    }
    let states = TensorSet.from(handle)
    var start = Int(args.start)
    if start == EQP_START_DEFAULT { start = persistent == nil ? EQP_START_ZERO : EQP_START_PERSISTENT }
    switch start {
    case EQP_START_ZERO: states.zero()
    case EQP_START_CURRENT: break
    case EQP_START_PERSISTENT:
      guard let persistent else {
        return refuse(
          err, EQP_ERR_UNSUPPORTED,
          "session.relax: persistent start asked for, but dynamics.persistent is false")
      }
      persistent.load(examples, into: states)
    default:
      return refuse(err, EQP_ERR_INVALID_ARGUMENT, "session.relax: unknown start \(args.start)")
    }
    let steps = args.steps == 0 ? dynamics.info.free_steps : args.steps
    guard steps > 0 else {
      return refuse(err, EQP_ERR_INVALID_ARGUMENT, "session.relax: steps is \(args.steps)")
    }
    var runArgs = EQP_RunArgs()
    runArgs.struct_size = Int(EQP_RunArgs_STRUCT_SIZE)
    runArgs.model = model.pointer
    runArgs.beta = args.beta
    runArgs.steps = steps
    runArgs.flags = args.flags
    runArgs.on_step = args.on_step
    runArgs.user_data = args.user_data
    result.pointee.struct_size = Int(EQP_RunResult_STRUCT_SIZE)
    let status = withEval(states) { eval in
      runArgs.eval = eval
      return dynamics.vtable.run(dynamics.instance, &runArgs, result, err)
    }
    guard status == EQP_Status(EQP_OK) else { return status }
    relaxations += 1
    let used = result.pointee.steps_used
    let checked = statusOf(err) { () throws(PluginFailure) in
      try checkStates(states, beta: args.beta, steps: used > 0 ? used : steps)
    }
    guard checked == EQP_Status(EQP_OK) else { return checked }
    if start == EQP_START_PERSISTENT { persistent?.store(examples, from: states) }
    return status
  }

  func paramGrad(_ states: TensorSet, _ coeff: Double, _ grads: TensorSet, _ err: OpaquePointer?) -> EQP_Status {
    withEval(states) { eval in
      let problem =
        model.evalProblem(eval) ?? model.tensorProblem("grads", grads.views, .params, eval: eval)
      return model.call("param_grad", err, refusing: problem) {
        model.vtable.param_grad(model.instance, eval, coeff, grads.views, $0)
      }
    }
  }

  func stepUpdate(
    before: TensorSet, after: TensorSet, coeff: Double, grads: TensorSet, err: OpaquePointer?
  ) -> EQP_Status {
    withEval(before) { eval in
      let problem =
        model.evalProblem(eval) ?? model.tensorProblem("after", after.views, .states, eval: eval)
        ?? model.tensorProblem("grads", grads.views, .params, eval: eval)
      return model.call("step_update", err, refusing: problem) {
        model.stepUpdate(
          eval, after: UnsafePointer(after.views), coeff: coeff, grads: grads.views, err: $0)
      }
    }
  }

  func costGrad(
    _ states: TensorSet, _ coeff: Double, _ gradStates: TensorSet, _ gradParams: TensorSet?,
    _ err: OpaquePointer?
  ) -> EQP_Status {
    withEval(states) { eval in
      let problem =
        model.evalProblem(eval)
        ?? model.tensorProblem("grad_states", gradStates.views, .states, eval: eval)
        ?? model.tensorProblem(
          "grad_params", gradParams?.views, .params, eval: eval, optional: true)
      return model.call("cost_grad", err, refusing: problem) {
        model.vtable.cost_grad(model.instance, eval, coeff, gradStates.views, gradParams?.views, $0)
      }
    }
  }

  func stepVjp(
    before: TensorSet, after: TensorSet, beta: Double, cotAfter: TensorSet, cotBefore: TensorSet,
    cotParams: TensorSet?, err: OpaquePointer?
  ) -> EQP_Status {
    guard let stepVjp = dynamics.vtable.step_vjp else {
      return refuse(
        err, EQP_ERR_UNSUPPORTED, "dynamics '\(dynamics.plugin.id)' offers no step_vjp (needed by BPTT and RBP)")
    }
    var args = EQP_StepVjpArgs()
    args.struct_size = Int(EQP_StepVjpArgs_STRUCT_SIZE)
    args.model = model.pointer
    args.after = UnsafePointer(after.views)
    args.beta = beta
    args.cot_after = UnsafePointer(cotAfter.views)
    args.cot_before = cotBefore.views
    args.cot_params = cotParams?.views
    return withEval(before) { eval in
      args.eval = eval
      return stepVjp(dynamics.instance, &args, err)
    }
  }

  /// θ ← θ − scale·η·grads through the optimizer, for the learner's `call`
  /// (session.apply_update, or session.apply_step when the model cannot apply a step).
  func applyUpdate(_ grads: TensorSet, scale: Double, call: String, err: OpaquePointer?)
    -> EQP_Status
  {
    do {
      try optimizer.apply(try updateSummedOverRanks(grads), to: parameters, scale: scale, kernel: kernel)
    } catch {
      return refuse(err, EQP_ERR_INTERNAL, error.message)
    }
    updates += 1
    let checked = statusOf(err) { () throws(PluginFailure) in
      try checkParameters(
        culprit: Self.name(learner.plugin), event: "with update \(updates) of the batch (\(call))")
    }
    guard checked == EQP_Status(EQP_OK) else { return checked }
    do {
      try prepareModel()
      return EQP_Status(EQP_OK)
    } catch {
      return refuse(err, EQP_ERR_INTERNAL, error.message)
    }
  }

  /// Sums the batch's loss and counts misclassified examples at `states`.
  func evaluate(_ states: TensorSet, _ lossSum: UnsafeMutablePointer<Double>?, _ errors: UnsafeMutablePointer<Int64>?, _ err: OpaquePointer?)
    -> EQP_Status
  {
    guard let scores, let scoreData = scores.data(0) else {
      return refuse(err, EQP_ERR_INVALID_ARGUMENT, "session.evaluate: no batch loaded")
    }
    let status = lossScratch.withUnsafeMutableBufferPointer { losses in
      withEval(states) { eval in
        let cost = model.call("cost", err, refusing: model.evalProblem(eval)) {
          model.vtable.cost(model.instance, eval, losses.baseAddress, $0)
        }
        guard cost == EQP_Status(EQP_OK) else { return cost }
        return model.call("predict", err) {
          model.vtable.predict(model.instance, eval, scores.views, $0)
        }
      }
    }
    guard status == EQP_Status(EQP_OK) else { return status }
    do {
      try predictionScratch.withUnsafeMutableBufferPointer { (predictions) throws(PluginFailure) in
        guard let base = predictions.baseAddress else { return }
        try kernel.argmaxRows(batchSize, model.classCount, scoreData, base)
      }
    } catch {
      return refuse(err, EQP_ERR_INTERNAL, error.message)
    }
    if measuringSaturation, let fraction = saturation(of: states) { logMetric("saturation", fraction) }
    lossSum?.pointee += lossScratch.reduce(0, +)
    var wrong: Int64 = 0
    for (row, label) in labels.enumerated() where predictionScratch[row] != Int64(label) { wrong += 1 }
    errors?.pointee += wrong
    return EQP_Status(EQP_OK)
  }

  func logMetric(_ name: String, _ value: Double) { metrics.add(name, value) }

  // MARK: Helpers

  /// An EQP_ModelEval over the current batch with `states` (NULL states for prepare).
  func withEval<R>(_ states: TensorSet?, _ body: (UnsafePointer<EQP_ModelEval>) -> R) -> R {
    var eval = EQP_ModelEval()
    eval.struct_size = Int(EQP_ModelEval_STRUCT_SIZE)
    eval.workspace = workspace
    eval.params = UnsafePointer(parameters.views)
    eval.param_count = parameters.count
    eval.states = states.map { UnsafePointer($0.views) }
    eval.layer_count = states?.count ?? 0
    eval.input = input.map { UnsafePointer($0.views) }
    eval.target = target.map { UnsafePointer($0.views) }
    eval.batch = Int64(batchSize)
    return body(&eval)
  }

  private func prepareModel() throws(PluginFailure) {
    let sink = ErrorSink()
    let status = withEval(nil) { model.vtable.prepare(model.instance, $0, sink.pointer) }
    try PluginCall.check(status, sink, model.plugin, "prepare")
  }

  private func refuse(_ err: OpaquePointer?, _ code: Int, _ message: String) -> EQP_Status {
    if let err { ErrorSink.from(err).set(EQP_Status(code), message) }
    return EQP_Status(code)
  }
}
