@preconcurrency import CEqprop

/// The session's state as safetensors tensors, for weights files and checkpoints, and back.
extension TrainingSession {
  /// The dtype of θ and of every tensor saved from the session.
  var storedDType: SafetensorsDType { config.dtype == UInt32(EQP_DTYPE_F64) ? .f64 : .f32 }

  /// θ by parameter name: a weights file, and the first tensors of a checkpoint.
  public func parameterTensors() -> [SafetensorsTensor] {
    model.parameters.enumerated().map { index, parameter in
      SafetensorsTensor(
        name: parameter.name, dtype: storedDType, shape: parameter.shape.map(Int.init),
        bytes: parameters.bytes(index))
    }
  }

  /// What a batch changes besides θ and the random stream: the optimizer's velocities
  /// (`optimizer/NAME`, with momentum) and the persistent states (`persistent/LAYER`, one
  /// row per training example, with a persistent dynamics). Collective in a data-parallel
  /// run: the ranks' shares of the persistent states are gathered.
  func trainingStateTensors() throws(PluginFailure) -> [SafetensorsTensor] {
    var tensors: [SafetensorsTensor] = []
    if let velocity = optimizer.velocity {
      for (index, parameter) in model.parameters.enumerated() {
        tensors.append(
          SafetensorsTensor(
            name: Self.velocityName(parameter.name), dtype: storedDType,
            shape: parameter.shape.map(Int.init), bytes: velocity.bytes(index)))
      }
    }
    if let (exampleCount, layers) = try allPersistentStates() {
      for (index, layer) in model.layers.enumerated() {
        tensors.append(
          SafetensorsTensor(
            name: Self.persistentName(layer.name), dtype: storedDType,
            shape: [exampleCount] + layer.shape.map(Int.init), bytes: layers[index]))
      }
    }
    return tensors
  }

  /// Replaces θ with the tensors of `file`, read from `path`, checking names, shapes and
  /// dtype; other tensors in the file (a checkpoint's optimizer state) are ignored.
  public func loadParameters(from file: SafetensorsFile, path: String) throws(PluginFailure) {
    for (index, parameter) in model.parameters.enumerated() {
      let bytes = try Self.bytes(
        of: parameter.name, shape: parameter.shape.map(Int.init), dtype: storedDType, in: file,
        path: path)
      _ = parameters.setBytes(index, bytes)
    }
  }

  /// Replaces the optimizer's velocities and the persistent states with a checkpoint's.
  func loadTrainingState(from file: SafetensorsFile, path: String) throws(PluginFailure) {
    if let velocity = optimizer.velocity {
      for (index, parameter) in model.parameters.enumerated() {
        let bytes = try Self.bytes(
          of: Self.velocityName(parameter.name), shape: parameter.shape.map(Int.init),
          dtype: storedDType,
          in: file, path: path)
        _ = velocity.setBytes(index, bytes)
      }
    }
    guard let exampleCount = persistentExampleCount else { return }
    for (index, layer) in model.layers.enumerated() {
      let bytes = try Self.bytes(
        of: Self.persistentName(layer.name), shape: [exampleCount] + layer.shape.map(Int.init),
        dtype: storedDType, in: file, path: path)
      _ = persistentShards?.restore(layer: index, bytes) ?? persistent?.restore(layer: index, bytes)
    }
  }

  /// Training examples with a persistent state; nil without a persistent dynamics.
  var persistentExampleCount: Int? { persistentShards?.exampleCount ?? persistent?.exampleCount }

  /// Bytes of every training example's persistent states (0 without).
  var persistentBytes: Int {
    (persistentExampleCount ?? 0) * model.layers.reduce(0) { $0 + $1.perExample }
      * (HostMemory.elementSize(config.dtype) ?? 4)
  }

  /// Every training example's persistent states, per layer; nil without.
  private func allPersistentStates() throws(PluginFailure) -> (Int, [[UInt8]])? {
    if let persistentShards { return (persistentShards.exampleCount, try persistentShards.gatherAll()) }
    return persistent.map { ($0.exampleCount, $0.storage) }
  }

  /// The session's random stream as four words (a checkpoint's `rng`).
  var randomState: [UInt64] { rng.stateWords }

  /// Continues the random stream from words `randomState` gave.
  func restoreRandomState(_ words: [UInt64], path: String) throws(PluginFailure) {
    guard rng.restore(words) else {
      throw PluginFailure(
        "\(path): rng holds \(words.count) words\(words.allSatisfy { $0 == 0 } ? ", all zero" : ""); "
          + "expected the 4 words of a xoshiro256** state, not all zero")
    }
  }

  private static func velocityName(_ parameter: String) -> String { "optimizer/" + parameter }
  private static func persistentName(_ layer: String) -> String { "persistent/" + layer }

  /// The bytes of tensor `name`, refused unless it has `shape` and `dtype`.
  private static func bytes(
    of name: String, shape: [Int], dtype: SafetensorsDType, in file: SafetensorsFile, path: String
  ) throws(PluginFailure) -> [UInt8] {
    guard let tensor = file[name] else {
      throw PluginFailure(
        "\(path): has no tensor '\(name)' (it holds \(file.tensors.map(\.name).joined(separator: ", ")))"
      )
    }
    guard tensor.shape == shape, tensor.dtype == dtype else {
      throw PluginFailure(
        "\(path): tensor '\(name)' is \(tensor.dtype.rawValue) \(tensor.shape); the session needs "
          + "\(dtype.rawValue) \(shape)")
    }
    return tensor.bytes
  }
}
