/// What `eqprop train` asks of a run beyond its config.
public struct RunOptions: Sendable {
  /// A checkpoint every N batches within an epoch besides the one at each epoch's end (0:
  /// epoch ends only); nil: 0 for a new run, a resumed run's earlier choice.
  public var checkpointEvery: Int?
  /// Keep `best.json` and its tensors: the epoch of lowest test error; nil: no for a new
  /// run, a resumed run's earlier choice.
  public var keepBest: Bool?
  /// Ends the process with `_exit` right after this many batches of this process (and the
  /// checkpoint due there; at an epoch's last batch, the epoch's): the tests' way to kill a
  /// run at a known point.
  public var exitAfterBatches: Int?
  /// Kills the process with SIGKILL there: the tests' way to crash a run mid-batch or
  /// between the steps of a checkpoint.
  public var killAt: KillPoint?
  public var display = DisplayStyle.lines
  /// The arguments eqprop was started with, for run.json.
  public var commandLine: [String] = []

  public init() {}

  /// The status `exitAfterBatches` ends the process with.
  public static let exitStatus: Int32 = 3
}
