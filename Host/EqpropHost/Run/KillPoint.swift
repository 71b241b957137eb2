/// Where `eqprop train --kill-at` has the process kill itself with SIGKILL: the tests' way to
/// crash a run at a known moment (no handler, no flush, as a crash or the OOM killer would)
/// and check what `--resume` makes of the folder.
public enum KillPoint: Sendable, Equatable {
  /// Batch N of this process, once trained: θ, the optimizer, the persistent states and the
  /// random stream have moved on in memory, and nothing of the batch is written yet. On disk
  /// this is any moment inside the batch.
  case batch(Int)
  /// `step` of the Nth checkpoint this process writes (best.json's count too).
  case checkpoint(Int, CheckpointStep)

  /// Parses `batch:N` or `checkpoint:N:STEP`; nil for anything else.
  public init?(argument: String) {
    let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 2, let number = Int(parts[1]), number >= 1 else { return nil }
    switch (parts[0], parts.count) {
    case ("batch", 2): self = .batch(number)
    case ("checkpoint", 3):
      guard let step = CheckpointStep(rawValue: parts[2]) else { return nil }
      self = .checkpoint(number, step)
    default: return nil
    }
  }

  /// What `init(argument:)` accepts, for a refusal.
  public static let forms =
    "batch:N or checkpoint:N:STEP, STEP one of "
    + CheckpointStep.allCases.map(\.rawValue).joined(separator: ", ")
}
