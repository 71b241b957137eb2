/// The part of a global minibatch one rank relaxes in data-parallel training: a contiguous
/// run of positions, the sizes as equal as they can be (the first `count % size` ranks take
/// one more), so every rank's share of the work is the same to one example.
public struct BatchShard: Sendable, Equatable {
  /// Positions in the global batch.
  public let positions: Range<Int>
  /// Examples in the global batch.
  public let globalCount: Int

  public init(globalCount: Int, rank: Int, size: Int) {
    let base = globalCount / size
    let extra = globalCount % size
    let start = rank * base + min(rank, extra)
    positions = start..<start + base + (rank < extra ? 1 : 0)
    self.globalCount = globalCount
  }

  /// This rank's share of the global batch's sums: what its mean-over-its-shard update is
  /// weighted by, so that the weighted sum over ranks is the global batch's mean.
  public var weight: Double { Double(positions.count) / Double(max(globalCount, 1)) }

  /// Refuses a data-parallel run in which some rank would get an empty shard: every batch,
  /// the last (smaller) one included, needs at least one example per rank.
  public static func checkEveryBatchSplits(examples: Int, batchSize: Int, ranks: Int)
    throws(PluginFailure)
  {
    guard ranks > 1 else { return }
    let last = examples % batchSize
    let smallest = last == 0 || examples < batchSize ? min(batchSize, examples) : last
    guard smallest < ranks else { return }
    throw PluginFailure(
      "training.batch_size \(batchSize) over \(examples) training examples gives a batch of "
        + "\(smallest), fewer than the \(ranks) ranks: each rank needs at least one example of "
        + "every batch; choose a batch size of \(ranks) or more whose remainder over \(examples) is 0 "
        + "or at least \(ranks) (training.train_limit can trim the set), or run fewer ranks")
  }
}
