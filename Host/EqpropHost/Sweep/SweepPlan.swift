/// The runs of a sweep: every combination of the grid's values (the first key varying
/// slowest, as nested loops in the file's order) with every seed, numbered in that order.
/// Each run has its config resolved and a folder of its own, `OUT/<setting>-seed<seed>`.
public struct SweepPlan: Sendable {
  /// One combination of the grid's values.
  public struct Setting: Sendable {
    public var index: Int
    /// The grid's keys and this setting's value of each, in the file's order.
    public var values: [(path: ConfigKeyPath, value: ConfigValue)]

    /// "learner.beta=0.5, optimizer.lr=[0.1, 0.05]"; empty without a grid.
    public var label: String {
      values.map { "\($0.path)=\($0.value.flowText)" }.joined(separator: ", ")
    }
  }

  /// One training run of the sweep.
  public struct Run: Sendable {
    public var index: Int
    public var setting: Int
    public var seed: UInt64
    /// The folder's name inside the sweep's `out`.
    public var name: String
    public var folder: String
    public var config: RunConfig
  }

  public let sweep: SweepFile
  public let settings: [Setting]
  public let runs: [Run]

  /// Resolves the config of every run before anything trains, so that a grid value the
  /// config refuses stops the sweep at once, naming the run.
  public init(_ sweep: SweepFile, catalog: PluginCatalog) throws(ConfigError) {
    var combinations: [[ConfigValue]] = [[]]
    for axis in sweep.grid {
      combinations = combinations.flatMap { prefix in axis.values.map { prefix + [$0] } }
    }
    let settings = combinations.enumerated().map { index, values in
      Setting(index: index, values: Array(zip(sweep.grid.map(\.path), values)))
    }
    var runs: [Run] = []
    for setting in settings {
      let grid = setting.values.map { entry in
        ConfigSetting(
          entry.path, entry.value,
          source: "\(sweep.source): grid: \(entry.path)=\(entry.value.flowText)")
      }
      for seed in sweep.seeds {
        let name = "\(setting.index)-seed\(seed)"
        let config: RunConfig
        do {
          config = try RunConfig.load(
            file: sweep.config, catalog: catalog,
            overrides: RunConfig.Overrides(settings: sweep.settings + grid, seed: seed))
        } catch {
          throw ConfigError(
            "\(sweep.source): run \(name) (\(Self.describe(setting, seed: seed))): \(error.message)"
          )
        }
        runs.append(
          Run(
            index: runs.count, setting: setting.index, seed: seed, name: name,
            folder: sweep.out + "/" + name, config: config))
      }
    }
    self.sweep = sweep
    self.settings = settings
    self.runs = runs
  }

  /// The runs rank `rank` of `size` trains: run i goes to rank i mod size.
  public func runs(ofRank rank: Int, size: Int) -> [Run] {
    runs.filter { $0.index % size == rank }
  }

  /// "learner.beta=0.5, seed 2", or "seed 2" without a grid.
  public func describe(_ run: Run) -> String {
    Self.describe(settings[run.setting], seed: run.seed)
  }

  private static func describe(_ setting: Setting, seed: UInt64) -> String {
    (setting.values.isEmpty ? "" : setting.label + ", ") + "seed \(seed)"
  }
}
