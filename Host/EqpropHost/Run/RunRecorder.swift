@preconcurrency import Glibc

/// Keeps a run folder up to date as training goes: a metrics.jsonl line per window and
/// epoch, a checkpoint at each epoch's end and every `checkpointEvery` batches, the best
/// epoch, and the display on stderr. A write that fails, or a divergence, stops the run with
/// a sentence naming the last complete checkpoint. In a data-parallel run every rank keeps
/// one, so that each takes part in gathering a checkpoint's state, but only rank 0's, the one
/// with `metrics`, writes.
final class RunRecorder: TrainingObserver {
  private let folder: String
  private let session: TrainingSession
  /// Nil on ranks other than 0.
  private let metrics: MetricsLog?
  private let display: TrainingDisplay
  private let options: RunOptions
  private let batchesPerEpoch: Int
  private var bestTestError: Double?
  /// Batches trained and checkpoints begun by this process (for `exitAfterBatches` and
  /// `killAt`).
  private var batchesTrained = 0
  private var checkpointsBegun = 0

  init(
    folder: String, session: TrainingSession, metrics: MetricsLog?, display: TrainingDisplay,
    options: RunOptions, batchesPerEpoch: Int, bestTestError: Double?
  ) {
    self.folder = folder
    self.session = session
    self.metrics = metrics
    self.display = display
    self.options = options
    self.batchesPerEpoch = batchesPerEpoch
    self.bestTestError = bestTestError
  }

  func batchEnded(_ progress: TrainingProgress, window: WindowReport?, batchesPerEpoch: Int)
    throws(PluginFailure)
  {
    batchesTrained += 1
    killIfAsked(.batch(batchesTrained))
    if let window {
      try append(MetricsLine.window(window))
      display.windowEnded(window)
    }
    display.batchEnded(progress, batchesPerEpoch: batchesPerEpoch)
    // The epoch's last batch is followed at once by the epoch's checkpoint (epochEnded).
    guard progress.batchesDone < batchesPerEpoch else { return }
    if let every = options.checkpointEvery, every > 0, progress.batchesDone % every == 0 {
      try checkpoint(progress, testError: nil)
    }
    exitIfAsked()
  }

  func epochEnded(_ report: EpochReport, progress: TrainingProgress) throws(PluginFailure) {
    try append(MetricsLine.epoch(report))
    display.epochEnded(report)
    if options.keepBest == true, report.testError < (bestTestError ?? .infinity) {
      bestTestError = report.testError
      try write(CheckpointSlot.best(in: folder), progress, testError: report.testError)
    }
    try checkpoint(progress, testError: report.testError)
    exitIfAsked()
  }

  private func checkpoint(_ progress: TrainingProgress, testError: Double?) throws(PluginFailure) {
    try write(CheckpointSlot.latest(in: folder), progress, testError: testError)
  }

  private func write(_ slot: CheckpointSlot, _ progress: TrainingProgress, testError: Double?)
    throws(PluginFailure)
  {
    checkpointsBegun += 1
    let number = checkpointsBegun
    do {
      let state = try session.trainingStateTensors()
      guard let metrics else { return }
      // The lines the checkpoint counts must be on disk before it does.
      try metrics.sync()
      try slot.write(
        session, state: state, progress: progress, batchesPerEpoch: batchesPerEpoch,
        metricsOffset: metrics.offset, testError: testError
      ) { step in killIfAsked(.checkpoint(number, step)) }
    } catch {
      throw stopped(by: error)
    }
    HostLog.info(
      "\(slot.sidecarPath): \(progress.epochsDone) epochs and \(progress.batchesDone) batches")
  }

  private func append(_ line: String) throws(PluginFailure) {
    do {
      try metrics?.append(line)
    } catch {
      throw stopped(by: error)
    }
  }

  /// The sentence a failed write stops the run with: the failure, then the checkpoint a
  /// resume continues from, which no failed write touches.
  private func stopped(by failure: PluginFailure) -> PluginFailure {
    display.clearBar()
    let resume =
      CheckpointSlot.latest(in: folder).summary.map {
        "\($0) is its last complete checkpoint, and `eqprop train --resume \(folder)` continues "
          + "from it once the problem is solved"
      } ?? "no checkpoint was written yet, so `eqprop train --resume \(folder)` starts it again"
    return PluginFailure("\(failure.message). The run stopped: \(resume)")
  }

  /// Ends the run on `divergence`: a `stopped` line in metrics.jsonl, and the sentence that
  /// says what diverged, which checkpoint is the last good one and what usually helps.
  func stopped(by divergence: Divergence) -> PluginFailure {
    display.clearBar()
    // The line is a courtesy to scripts; failing to write it must not hide the divergence.
    try? metrics?.append(MetricsLine.stopped(divergence))
    let last =
      CheckpointSlot.latest(in: folder).summary.map {
        ": \($0) is the last good checkpoint (`eqprop eval` reads it)"
      } ?? ", and no checkpoint was written before it"
    let rates = session.config.learningRates.map { JSONText.number($0) }.joined(separator: ", ")
    return PluginFailure(
      "\(divergence). Nothing of the diverged state was saved\(last). Lowering optimizer.lr (now "
        + "[\(rates)]) or β is the usual fix; a resumed run keeps its config and would diverge here "
        + "again, so train anew into another folder with --out DIR --set optimizer.lr=[…]")
  }

  private func killIfAsked(_ point: KillPoint) {
    guard options.killAt == point else { return }
    display.clearBar()
    kill(getpid(), SIGKILL)
  }

  private func exitIfAsked() {
    guard let limit = options.exitAfterBatches, batchesTrained >= limit else { return }
    display.clearBar()
    _exit(RunOptions.exitStatus)
  }
}
