/// What a logging window of `log_every` batches measured: one `batches` line of
/// metrics.jsonl, one progress line on a terminal-less stderr.
public struct WindowReport: Sendable {
  /// The epoch, from 1.
  public var epoch: Int
  /// The window's last batch within the epoch, from 1.
  public var batch: Int
  public var batchesPerEpoch: Int
  public var tally: BatchTally

  /// Fractional epochs done at the window's end: (epoch − 1) + batch / batches per epoch.
  public var progress: Double {
    Double(epoch - 1) + Double(batch) / Double(max(batchesPerEpoch, 1))
  }
}
