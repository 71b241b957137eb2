import Foundation

/// What a run folder's file system must hold for a run to finish: its checkpoints (θ, the
/// optimizer's velocities, the persistent states), two of them at once while a new one
/// replaces the last (a third with --best), the final weights, and a margin for
/// metrics.jsonl, run.json and config.yaml. Checked before training, so a full disk is a
/// refusal at the start rather than a failure hours in.
struct DiskSpaceNeed: Equatable {
  var parameterBytes: Int
  var optimizerBytes: Int
  var persistentBytes: Int
  var keepsBest: Bool
  /// Checkpoint files already in the folder (a resumed run's), part of what it needs.
  var storedBytes = 0

  /// A generous bound for metrics.jsonl, run.json, config.yaml and the tensors files'
  /// headers: a line per window and epoch is a few hundred bytes.
  static let margin = 1_000_000

  init(parameterBytes: Int, optimizerBytes: Int, persistentBytes: Int, keepsBest: Bool) {
    self.parameterBytes = parameterBytes
    self.optimizerBytes = optimizerBytes
    self.persistentBytes = persistentBytes
    self.keepsBest = keepsBest
  }

  /// The need of `session`'s checkpoints.
  init(_ session: TrainingSession, keepsBest: Bool) {
    let set = { (tensors: TensorSet?) in
      tensors.map { set in (0..<set.count).reduce(0) { $0 + set.byteCount($1) } } ?? 0
    }
    self.init(
      parameterBytes: set(session.parameters), optimizerBytes: set(session.optimizer.velocity),
      persistentBytes: session.persistentBytes,
      keepsBest: keepsBest)
  }

  var checkpointBytes: Int { parameterBytes + optimizerBytes + persistentBytes }
  var checkpointsAtOnce: Int { keepsBest ? 3 : 2 }

  /// Bytes the file system must still have free.
  var bytes: Int {
    max(checkpointBytes * checkpointsAtOnce + parameterBytes + Self.margin - storedBytes, 0)
  }

  /// The refusal of a folder whose file system has only `available` bytes free; nil when
  /// they are enough.
  func refusal(folder: String, available: UInt64) -> PluginFailure? {
    guard available < UInt64(bytes) else { return nil }
    let parts = [
      ("θ", parameterBytes), ("optimizer state", optimizerBytes),
      ("persistent states", persistentBytes),
    ].filter { $0.1 > 0 }.map { "\($0.0) \(Self.megabytes($0.1))" }
    let stored = storedBytes > 0 ? ", less the \(Self.megabytes(storedBytes)) already there" : ""
    return PluginFailure(
      "\(folder): its file system has \(Self.megabytes(Int(clamping: available))) free, but the run "
        + "needs about \(Self.megabytes(bytes)): \(checkpointsAtOnce) checkpoints of "
        + "\(Self.megabytes(checkpointBytes)) at once (\(parts.joined(separator: ", "))), the final "
        + "weights and \(Self.megabytes(Self.margin)) for metrics and logs\(stored); free some space "
        + "or give --out a folder on another file system")
  }

  private static func megabytes(_ bytes: Int) -> String {
    String(format: "%.2f MB", Double(bytes) / 1e6)
  }
}
