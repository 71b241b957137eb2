/// The order in which each epoch visits a split's examples: a permutation of `0..<count` that
/// depends only on the seed and the epoch, so a run, or a resumed run, replays exactly.
public struct EpochOrder: Sendable, Equatable {
  /// The number of examples to order.
  public let count: Int
  /// The run's seed.
  public let seed: UInt64

  public init(count: Int, seed: UInt64) {
    self.count = max(0, count)
    self.seed = seed
  }

  /// The epoch's permutation: an unbiased Fisher–Yates shuffle driven by a `RandomStream` of
  /// its own.
  ///
  /// The stream's seed mixes the run's seed, a tag for "shuffle" and the epoch, so it never
  /// equals `RandomStream(seed: seed)`, which other parts of a run (initial weights) may use.
  /// Changing this derivation changes the order of every seeded run.
  public func permutation(epoch: UInt64) -> [Int] {
    let stream = RandomStream(seed: SplitMix.mix(SplitMix.mix(seed ^ Self.tag) &+ epoch))
    var order = Array(0..<count)
    var last = count - 1
    while last > 0 {
      let other = Int(stream.below(UInt64(last + 1)))
      order.swapAt(last, other)
      last -= 1
    }
    return order
  }

  /// The epoch's permutation cut into batches of `size`; the last holds the remainder (as
  /// PyTorch's DataLoader with `drop_last=False`).
  public func batches(epoch: UInt64, size: Int) throws(DataError) -> [ArraySlice<Int>] {
    guard size > 0 else {
      throw DataError.invalidArgument("The batch size is \(size); expected 1 or more.")
    }
    let order = permutation(epoch: epoch)
    return stride(from: 0, to: count, by: size).map { order[$0..<min($0 + size, count)] }
  }

  /// "shuffle" in ASCII: keeps this use of the seed apart from others.
  private static let tag: UInt64 = 0x73_6875_6666_6c65
}
