import Foundation

extension SweepPlan {
  /// The sweep as it runs, for `OUT/sweep.yaml`: paths made absolute and the command line's
  /// settings written into `set:`, so that `eqprop sweep OUT/sweep.yaml` runs the same sweep
  /// from anywhere; a comment lists the settings the run folders are numbered by.
  public var resolvedText: String {
    var fixed: [(key: String, value: ConfigValue)] = []
    for setting in sweep.settings {
      // A later value of a key replaces the earlier one, as it would in the config.
      fixed.removeAll { $0.key == setting.path.description }
      fixed.append((setting.path.description, setting.value))
    }
    let record = ConfigValue.map([
      ("config", .string(Self.absolute(sweep.config))),
      ("seeds", .list(sweep.seeds.map { .int(Int64($0)) })),
      ("grid", .map(sweep.grid.map { ($0.path.description, .list($0.values)) })),
      ("set", .map(fixed)),
      ("out", .string(Self.absolute(sweep.out))),
    ])
    let names = settings.map {
      "#   \($0.index): \($0.values.isEmpty ? "the base config" : $0.label)"
    }
    return "# Resolved by eqprop sweep. Run folders are named <setting>-seed<seed>; the settings:\n"
      + names.joined(separator: "\n") + "\n" + record.yamlText() + "\n"
  }

  /// Writes `OUT/sweep.yaml`.
  public func writeRecord() throws(PluginFailure) {
    try SweepFolder.write(resolvedText, named: SweepFolder.sweepName, in: sweep.out)
  }

  private static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }
}
