@preconcurrency import CEqprop

/// What a session does differently when it is one rank of a data-parallel run: it relaxes its
/// shard of every global batch, its updates are summed over ranks weighted by shard size, so
/// that every rank applies the global batch's update to its replica of θ.
extension TrainingSession {
  /// Whether this session shares its batches with other ranks.
  var isDistributed: Bool { communicator.size > 1 }

  /// Whether each step of a continual learner is summed over ranks before it is applied.
  var reducesEveryStep: Bool { isDistributed && continualReduce == .step }

  /// `set` ← Σ_ranks weight_r · set_r, in place: the global batch's mean of a rank's mean over
  /// its shard (learners write means over the batch they were given).
  func sumOverRanks(_ set: TensorSet) throws(PluginFailure) {
    try sumOverRanks(set, into: set)
  }

  /// `target` ← Σ_ranks weight_r · `source`_r (`sumOverRanks` into another set of θ's shapes).
  private func sumOverRanks(_ source: TensorSet, into target: TensorSet) throws(PluginFailure) {
    guard isDistributed else { return }
    let weight = shard?.weight ?? 1
    for index in 0..<target.count {
      let count = target.elementCount(index)
      guard count > 0, let data = target.data(index) else { continue }
      // β = 0: y ← w·x, whatever y held; one pass, also when the sets are the same.
      try kernel.axpby(count, weight, source.data(index), 0, data)
      try communicator.allreduceSum(data, count: count, dtype: config.dtype)
    }
  }

  /// A learner's update as every rank applies it: `update` itself in one process; otherwise
  /// its weighted sum over ranks, in a scratch set (the learner's own set stays as it wrote it).
  func updateSummedOverRanks(_ update: TensorSet) throws(PluginFailure) -> TensorSet {
    guard isDistributed else { return update }
    let scratch: TensorSet
    if let reduceScratch {
      scratch = reduceScratch
    } else {
      scratch = try TensorSet(dtype: config.dtype, shapes: model.parameterShapes)
      reduceScratch = scratch
    }
    try sumOverRanks(update, into: scratch)
    return scratch
  }

  /// After a batch of a continual learner under `ContinualReduce.batch`: θ and the
  /// optimizer's velocities become the ranks' average, weighted by shard size.
  func averageOverRanks() throws(PluginFailure) {
    try sumOverRanks(parameters)
    if let velocity = optimizer.velocity { try sumOverRanks(velocity) }
  }

  /// Makes every rank's θ, velocities and random stream rank 0's, so that replicas start
  /// equal whatever each process computed alone (a plugin's initialisation need not be
  /// deterministic).
  public func adoptLeaderState() throws(PluginFailure) {
    guard isDistributed else { return }
    for set in [parameters] + (optimizer.velocity.map { [$0] } ?? []) {
      for index in 0..<set.count {
        guard let data = set.data(index), set.byteCount(index) > 0 else { continue }
        try communicator.broadcast(data, bytes: set.byteCount(index), root: 0)
      }
    }
    var words = rng.stateWords
    try words.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      try communicator.broadcast(buffer.baseAddress!, bytes: buffer.count * 8, root: 0)
    }
    _ = rng.restore(words)
  }

  /// Refuses replicas of θ that differ between ranks, which only a communicator whose sums
  /// are not the same on every rank could cause: a SHA-256 of θ per rank, compared.
  func checkReplicasAgree(afterEpoch epoch: Int) throws(PluginFailure) {
    guard isDistributed else { return }
    let digest = SHA256Digest.hex(of: (0..<parameters.count).map { parameters.bytes($0) })
    let digests = try communicator.allgather(Array(digest.utf8)).map {
      String(decoding: $0, as: UTF8.self)
    }
    guard let rank = digests.firstIndex(where: { $0 != digests[0] }) else { return }
    throw PluginFailure(
      "after epoch \(epoch), θ on rank \(rank) (SHA-256 \(digests[rank])) differs from rank 0's "
        + "(\(digests[0])): the communicator's allreduce_sum gave the ranks different sums")
  }
}
