/// The sweep's own files in its `out` folder, beside the run folders:
///
///     sweep.yaml      the sweep as run (`SweepPlan.resolvedText`), written before training
///     summary.jsonl   a line per setting (`SweepSummary.jsonLines`)
///     summary.md      the table of mean ± std per setting (`SweepSummary.markdown`)
///
/// Only rank 0 writes them.
public enum SweepFolder {
  public static let sweepName = "sweep.yaml"
  public static let summaryName = "summary.jsonl"
  public static let tableName = "summary.md"

  /// Replaces `out/name` with `text` at once, creating `out` when missing.
  static func write(_ text: String, named name: String, in out: String) throws(PluginFailure) {
    try RunFolder.create(out)
    let path = out + "/" + name
    do {
      try AtomicFile.replace(path, with: [Array(text.utf8)])
    } catch {
      throw PluginFailure("\(path): cannot be written: \(error)")
    }
  }
}
