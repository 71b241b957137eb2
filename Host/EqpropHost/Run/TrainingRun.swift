/// `eqprop train` minus argument parsing: a run folder taken (locked) and checked, training
/// from the start or from the folder's latest checkpoint, and the folder kept up to date.
/// In a data-parallel run (`mpirun -np N eqprop train`) every rank trains and rank 0 alone
/// touches the folder; a step of the setup that fails on one rank stops them all.
public final class TrainingRun {
  public let folder: String
  public let job: TrainingJob
  /// Held until the run object goes away (or the process ends); rank 0's alone.
  private let lock: RunLock?
  private let options: RunOptions
  private let start: TrainingProgress
  private let metricsOffset: UInt64
  /// Reports of the epochs trained before a resumption, from metrics.jsonl.
  private let earlierReports: [EpochReport]
  private let bestTestError: Double?

  private init(
    folder: String, job: TrainingJob, lock: RunLock?, options: RunOptions, resuming: ResumePoint?
  ) {
    self.folder = folder
    self.job = job
    self.lock = lock
    self.options = options
    start = resuming?.progress ?? TrainingProgress()
    metricsOffset = resuming?.metricsOffset ?? 0
    earlierReports = resuming?.earlierReports ?? []
    bestTestError = resuming?.bestTestError
  }

  /// A new run of `config` in `folder`; refused while another run holds the folder, or when
  /// a run trained there before.
  public static func begin(
    _ config: RunConfig, in folder: String, options: RunOptions,
    communicator: any Communicator = SingleProcess()
  ) throws(PluginFailure) -> TrainingRun {
    var lock: RunLock?
    try communicator.onLeader { () throws(PluginFailure) in
      try RunFolder.create(folder)
      try RunFolder.checkWritable(folder)
      lock = try RunLock(folder: folder)
      if let existing = RunFolder.existingRun(in: folder) {
        throw PluginFailure(
          "\(folder) already holds a run (\(existing)); continue it with `eqprop train --resume \(folder)`, "
            + "or train into another folder with --out")
      }
    }
    let job = try communicator.agree { () throws(PluginFailure) in
      try TrainingJob(config: config, communicator: communicator)
    }
    try job.session.adoptLeaderState()
    var resolved = options
    resolved.checkpointEvery = options.checkpointEvery ?? 0
    resolved.keepBest = options.keepBest ?? false
    try communicator.onLeader { () throws(PluginFailure) in
      try RunFolder.checkSpace(
        folder, for: DiskSpaceNeed(job.session, keepsBest: resolved.keepBest == true))
      try RunFolder.saveConfig(config, to: folder)
      try RunManifest.start(config, folder: folder, options: resolved, communicator: communicator)
    }
    return TrainingRun(folder: folder, job: job, lock: lock, options: resolved, resuming: nil)
  }

  /// Continues the run in `folder` under `config` (its own, or one the caller checked
  /// against it) from its latest checkpoint, or from the start when it has none. Options
  /// left nil keep the run's earlier choice.
  public static func resume(
    _ config: RunConfig, in folder: String, options: RunOptions,
    communicator: any Communicator = SingleProcess()
  ) throws(PluginFailure) -> TrainingRun {
    var lock: RunLock?
    try communicator.onLeader { () throws(PluginFailure) in
      try RunFolder.checkWritable(folder)
      lock = try RunLock(folder: folder)
      RunFolder.removeTemporaryFiles(in: folder)
    }
    let job = try communicator.agree { () throws(PluginFailure) in
      try TrainingJob(config: config, communicator: communicator)
    }
    let trainer = Trainer(session: job.session, train: job.train, test: job.test)
    let point = try ResumePoint.restore(
      job.session, from: folder, batchesPerEpoch: trainer.batchesPerEpoch)
    // An epoch begun counts: its checkpoint cannot end the run.
    let reached = point.progress.epochsDone + (point.progress.batchesDone > 0 ? 1 : 0)
    guard reached <= config.epochs else {
      throw PluginFailure(
        "\(folder): the run has reached epoch \(reached), beyond the \(config.epochs) asked for; give "
          + "--epochs \(reached) or more")
    }
    if communicator.isLeader {
      HostLog.notice(
      point.progress == TrainingProgress()
        ? "\(folder): no checkpoint yet; the run starts again from its beginning"
        : "\(folder): resuming after \(point.progress.epochsDone) epochs and \(point.progress.batchesDone) batches"
      )
    }
    // Every rank needs the run's checkpoint choices: each takes part in every checkpoint.
    var resolved = options
    try communicator.onLeader { () throws(PluginFailure) in
      resolved = RunManifest.completing(options, from: folder)
    }
    resolved.checkpointEvery = try communicator.broadcastLeader(resolved.checkpointEvery ?? 0)
    resolved.keepBest = try communicator.broadcastLeader(resolved.keepBest ?? false ? 1 : 0) != 0
    try communicator.onLeader { () throws(PluginFailure) in
      var need = DiskSpaceNeed(job.session, keepsBest: resolved.keepBest == true)
      need.storedBytes = RunFolder.storedCheckpointBytes(in: folder)
      try RunFolder.checkSpace(folder, for: need)
      try RunFolder.saveConfig(config, to: folder)
      try RunManifest.resume(
        config, folder: folder, options: resolved, from: point.progress, communicator: communicator)
    }
    return TrainingRun(folder: folder, job: job, lock: lock, options: resolved, resuming: point)
  }

  /// Trains to the config's last epoch, then saves θ as weights.safetensors; returns the
  /// report of every epoch of the run, those before a resumption included.
  public func run() throws(PluginFailure) -> [EpochReport] {
    let session = job.session
    let trainer = Trainer(session: session, train: job.train, test: job.test)
    if start.epochsDone == session.config.epochs, session.communicator.isLeader {
      HostLog.notice(
        "\(folder): the run has finished its \(start.epochsDone) epochs; give --epochs to train more"
      )
    }
    let leader = session.communicator.isLeader
    let recorder = RunRecorder(
      folder: folder, session: session,
      metrics: leader
        ? try MetricsLog(path: folder + "/" + RunFolder.metricsName, keeping: metricsOffset) : nil,
      display: TrainingDisplay(style: leader ? options.display : .quiet, epochs: session.config.epochs),
      options: options,
      batchesPerEpoch: trainer.batchesPerEpoch, bestTestError: bestTestError)
    let reports: [EpochReport]
    do {
      reports = try trainer.run(from: start, observer: recorder)
    } catch {
      if let divergence = session.divergence { throw recorder.stopped(by: divergence) }
      throw error
    }
    try session.communicator.onLeader { () throws(PluginFailure) in
      try RunFolder.saveWeights(session, to: folder)
      writePlots()
    }
    return earlierReports + reports
  }

  /// The run's figures, as `eqprop plot RUN` draws them. A figure that cannot be drawn is a
  /// warning: the weights and metrics it would show are already saved.
  private func writePlots() {
    do {
      for path in try RunPlot.write(run: folder) { HostLog.notice("plotted \(path)") }
    } catch {
      HostLog.warning("\(folder): the plots were not drawn: \(error)")
    }
  }
}
