/// What the Trainer tells the code around it as training goes: the run folder writes
/// metrics and checkpoints, the display draws progress.
public protocol TrainingObserver: AnyObject {
  /// After each batch and the hooks due at it. `progress` counts the batch; when the batch
  /// closed a logging window, `window` reports it and `progress` holds a new, empty window.
  func batchEnded(_ progress: TrainingProgress, window: WindowReport?, batchesPerEpoch: Int)
    throws(PluginFailure)

  /// After an epoch's evaluation; `progress` stands at the start of the next epoch.
  func epochEnded(_ report: EpochReport, progress: TrainingProgress) throws(PluginFailure)
}
