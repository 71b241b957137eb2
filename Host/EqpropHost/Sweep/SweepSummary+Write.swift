extension SweepSummary {
  /// Writes `summary.jsonl` and `summary.md` into the sweep's out folder.
  public func write(command: String) throws(PluginFailure) {
    try SweepFolder.write(jsonLines, named: SweepFolder.summaryName, in: plan.sweep.out)
    try SweepFolder.write(
      markdown(command: command), named: SweepFolder.tableName, in: plan.sweep.out)
  }
}
