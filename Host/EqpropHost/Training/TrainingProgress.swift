/// Where a run stands between two batches: the position in its data order and the sums of
/// the epoch and logging window in progress. With θ, the optimizer, the persistent states and
/// the random stream (the session's part), it is all a run needs to continue exactly.
public struct TrainingProgress: Codable, Sendable, Equatable {
  /// Epochs finished.
  public var epochsDone = 0
  /// Batches of the next epoch already trained (its order comes from the seed and the epoch).
  public var batchesDone = 0
  /// Sums of the epoch in progress.
  public var epoch = BatchTally()
  /// Sums since the last `batches` line of metrics.jsonl.
  public var window = BatchTally()

  public init() {}

  /// The start of the epoch after `epochsDone` finished epochs.
  init(epochsDone: Int) { self.epochsDone = epochsDone }

  private enum CodingKeys: String, CodingKey {
    case epochsDone = "epochs_done"
    case batchesDone = "batches_done"
    case epoch = "epoch_sums"
    case window = "window_sums"
  }
}
