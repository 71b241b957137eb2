import Foundation

/// What a sweep run's folder holds when the sweep comes to it, so that running a sweep again
/// continues it: nothing finished is trained again, nothing partial is lost.
enum SweepRunFolder {
  enum State {
    /// No run trained here yet: begin one.
    case empty
    /// The run reached its epochs and saved its weights; its epochs' reports.
    case finished([EpochReport])
    /// A run of this config that has not finished: resume it.
    case partial
    /// A run that must not be continued, and why: another config's, or one that diverged
    /// (resumed, it would diverge at the same batch again).
    case unusable(String)
  }

  static func state(of run: SweepPlan.Run, catalog: PluginCatalog) -> State {
    let folder = run.folder
    guard RunFolder.existingRun(in: folder) != nil else { return .empty }
    let saved: RunConfig
    do {
      saved = try RunConfig.load(file: folder + "/" + RunFolder.configName, catalog: catalog)
    } catch {
      return .unusable("\(folder) holds a run whose config cannot be read: \(error.message)")
    }
    if let difference = run.config.identityDifference(from: saved) {
      return .unusable(
        "\(folder) holds a run of another config (\(difference.path) is \(difference.theirs) "
          + "there, \(difference.mine) in the sweep); move the folder away, or give the sweep "
          + "another out")
    }
    let lines = MetricsLog.lines(folder + "/" + RunFolder.metricsName, upTo: .max)
    if let message = lines.last.flatMap(MetricsLine.stoppedMessage) {
      return .unusable(
        "\(message). That was an earlier try, and the same config would diverge again, so the "
          + "sweep skips it (remove \(folder) to try once more)")
    }
    let reports = lines.compactMap(MetricsLine.epochReport)
    let weights = folder + "/" + RunFolder.weightsName
    if FileManager.default.fileExists(atPath: weights), reports.last?.epoch == run.config.epochs {
      return .finished(reports)
    }
    return .partial
  }
}
