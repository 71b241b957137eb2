@preconcurrency import CEqprop
import Foundation

/// A training run's config: the host's own sections checked against `HostSchema`, the three
/// plugin sections against their plugins' option lists, all defaults filled in.
public struct RunConfig: Sendable {
  public var name: String
  public var seed: UInt64
  public var dtype: UInt32
  public var epochs: Int
  public var batchSize: Int
  public var testBatchSize: Int
  /// Use only the first N training / test examples (0: all).
  public var trainLimit: Int
  public var testLimit: Int
  /// Free-phase steps of evaluation (0: the dynamics' free_steps).
  public var evalSteps: Int
  /// Batches per line of metrics.jsonl (and per progress line on a terminal-less stderr).
  public var logEvery: Int
  /// The `data:` section: where the examples come from, how training images are augmented.
  public var data: DataSettings
  public var learningRates: [Double]
  public var momentum: Double
  public var model: PluginSection
  public var dynamics: PluginSection
  public var learner: PluginSection
  /// Extension functions called after epochs or batches, their results logged as metrics.
  public var hooks: [HookConfig]
  /// The `check:` section (gradient-matching checks), defaults filled in.
  public var check: CheckSettings
  /// How a data-parallel run sums a continual learner's step updates over ranks
  /// (`parallel.continual_reduce`).
  public var continualReduce: ContinualReduce

  /// One plugin's section: the chosen plugin and its resolved options.
  public struct PluginSection: @unchecked Sendable {
    public var plugin: PluginRecord
    public var options: ConfigValue
  }

  /// Settings of `eqprop check` (spec §4).
  public struct CheckSettings: Sendable {
    public var beta: Double
    public var nudgedSteps: Int
    /// "data": the first minibatch of the shuffled training set; "random": x ~ U[0,1), a
    /// random one-hot y (the toy model of spec §2.2).
    public var input: String
  }

  /// The resolved config: every key, defaults included (saved beside the weights).
  public var resolved: ConfigValue

  /// The resolved config as the text of a run folder's `config.yaml`.
  public var resolvedText: String {
    "# Resolved by eqprop: every key, defaults included.\n" + resolved.yamlText() + "\n"
  }

  /// Command-line values that replace the file's: `--set KEY=VALUE` settings, then the
  /// dedicated options (`--epochs`, `--seed`, `--data`), applied to the parsed file before it
  /// is checked.
  public struct Overrides: Sendable {
    public var settings: [ConfigSetting]
    public var epochs: Int?
    public var seed: UInt64?
    public var data: String?
    public var logEvery: Int?
    public init(
      settings: [ConfigSetting] = [], epochs: Int? = nil, seed: UInt64? = nil, data: String? = nil,
      logEvery: Int? = nil
    ) {
      self.settings = settings
      self.epochs = epochs
      self.seed = seed
      self.data = data
      self.logEvery = logEvery
    }

    /// `root` with every override written in.
    func apply(to root: ConfigValue) throws(ConfigError) -> ConfigValue {
      var result = root
      for setting in try settings + dedicated() { result = try setting.apply(to: result) }
      return result
    }

    private func dedicated() throws(ConfigError) -> [ConfigSetting] {
      var list: [ConfigSetting] = []
      if let epochs { list.append(ConfigSetting(["training", "epochs"], .int(Int64(epochs)), option: "--epochs")) }
      if let seed {
        guard let value = Int64(exactly: seed) else {
          throw ConfigError("--seed: \(seed) is above the maximum \(Int64.max)")
        }
        list.append(ConfigSetting(["seed"], .int(value), option: "--seed"))
      }
      if let data { list.append(ConfigSetting(["data", "dir"], .string(data), option: "--data")) }
      if let logEvery {
        list.append(ConfigSetting(["training", "log_every"], .int(Int64(logEvery)), option: "--log-every"))
      }
      return list
    }
  }

  /// Reads and resolves the config in `file`; one without a `name` is named after the file
  /// (`p1h-ep.yaml` trains into runs/p1h-ep).
  public static func load(
    file: String, catalog: PluginCatalog, overrides: Overrides = Overrides()
  ) throws(ConfigError) -> RunConfig {
    var root = try ConfigParser.parse(file: file)
    if case .map(let entries) = root, root["name"] == nil {
      let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
      root = .map([("name", .string(stem))] + entries)
    }
    return try resolve(root, source: file, catalog: catalog, overrides: overrides)
  }

  public static func resolve(
    _ parsed: ConfigValue, source: String, catalog: PluginCatalog, overrides: Overrides = Overrides()
  ) throws(ConfigError) -> RunConfig {
    guard case .map(let entries) = parsed else {
      throw ConfigError("\(source): the top level must be a map of sections")
    }
    let nested = [
      "model", "dynamics", "learner", "optimizer", "training", "data", "check", "hooks", "parallel",
    ]
    let sections = ["name", "seed", "dtype"] + nested
    let root = try overrides.apply(to: .map(entries))
    for entry in root.mapEntries where !sections.contains(entry.key) {
      // A section only a --set gave is not the file's fault.
      let origin = parsed[entry.key] == nil ? "" : "\(source): "
      var message = "\(origin)\(entry.key): unknown section"
      if let guess = Spelling.closest(to: entry.key, among: sections) { message += "; did you mean '\(guess)'?" }
      throw ConfigError(message + " (known: \(sections.joined(separator: ", ")))")
    }
    let top = try OptionValidator(options: HostSchema.top, extraKeys: nested).resolve(root, path: "")
    let training = try OptionValidator(options: HostSchema.training).resolve(root["training"], path: "training")
    let optimizer = try OptionValidator(options: HostSchema.optimizer).resolve(root["optimizer"], path: "optimizer")
    let data = try DataSettings.resolve(root["data"])
    let check = try OptionValidator(options: HostSchema.check).resolve(root["check"], path: "check")
    let input = try choice(check, "input", among: ["data", "random"], path: "check.input")
    let parallel = try OptionValidator(options: HostSchema.parallel).resolve(root["parallel"], path: "parallel")
    let continualReduce = try choice(
      parallel, "continual_reduce", among: ContinualReduce.allCases.map(\.rawValue),
      path: "parallel.continual_reduce")
    let model = try pluginSection(root, "model", .model, catalog)
    let dynamics = try pluginSection(root, "dynamics", .dynamics, catalog)
    let learner = try pluginSection(root, "learner", .learner, catalog)
    let hooks = try HookConfig.resolve(root["hooks"], plugins: [model.plugin, dynamics.plugin, learner.plugin])

    func int(_ section: ConfigValue, _ key: String) -> Int {
      if case .int(let value)? = section[key] { return Int(value) }
      return 0
    }
    let dtype: UInt32 =
      try choice(top, "dtype", among: ["f32", "f64"], path: "dtype") == "f64"
      ? UInt32(EQP_DTYPE_F64) : UInt32(EQP_DTYPE_F32)
    var rates: [Double] = []
    if case .list(let values)? = optimizer["lr"] { rates = values.compactMap(\.number) }
    let resolvedTop: [(key: String, value: ConfigValue)] =
      top.mapEntries.filter { !nested.contains($0.key) }
      + [("model", model.options), ("dynamics", dynamics.options), ("learner", learner.options),
        ("optimizer", optimizer), ("training", training), ("data", data.resolved),
        ("check", check), ("hooks", hooks.resolved), ("parallel", parallel)]
    var name = ""
    if case .string(let text)? = top["name"] { name = text }
    return RunConfig(
      name: name, seed: UInt64(int(top, "seed")), dtype: dtype, epochs: int(training, "epochs"),
      batchSize: int(training, "batch_size"), testBatchSize: int(training, "test_batch_size"),
      trainLimit: int(training, "train_limit"), testLimit: int(training, "test_limit"),
      evalSteps: int(training, "eval_steps"), logEvery: int(training, "log_every"),
      data: data.settings, learningRates: rates,
      momentum: optimizer["momentum"]?.number ?? 0, model: model, dynamics: dynamics,
      learner: learner, hooks: hooks.hooks,
      check: CheckSettings(
        beta: check["beta"]?.number ?? 0, nudgedSteps: int(check, "nudged_steps"), input: input),
      continualReduce: ContinualReduce(rawValue: continualReduce) ?? .step,
      resolved: .map(resolvedTop))
  }

  /// A string option that must be one of `choices`, or the refusal naming its path.
  private static func choice(
    _ section: ConfigValue, _ key: String, among choices: [String], path: String
  ) throws(ConfigError) -> String {
    guard case .string(let value)? = section[key], choices.contains(value) else {
      let found = section[key]?.flowText ?? "nothing"
      var message = "\(path): \(found) is not one of \(choices.joined(separator: ", "))"
      if case .string(let value)? = section[key], let guess = Spelling.closest(to: value, among: choices) {
        message += "; did you mean '\(guess)'?"
      }
      throw ConfigError(message)
    }
    return value
  }

  private static func pluginSection(
    _ root: ConfigValue, _ key: String, _ kind: PluginKind, _ catalog: PluginCatalog
  ) throws(ConfigError) -> PluginSection {
    guard let section = root[key] else {
      throw ConfigError("\(key): missing; name the \(kind.name) plugin with \(key).id")
    }
    guard case .string(let id)? = section["id"] else {
      throw ConfigError("\(key).id: missing or not a string; it names the \(kind.name) plugin")
    }
    let plugin: PluginRecord
    do {
      plugin = try catalog.find(kind, id: id)
    } catch {
      var message = "\(key).id: \(error.message)"
      let ids = catalog.plugins.filter { $0.kind == kind }.map(\.id)
      if let guess = Spelling.closest(to: id, among: ids) { message += "; did you mean '\(guess)'?" }
      throw ConfigError(message)
    }
    let options = try OptionValidator(options: plugin.options, extraKeys: ["id"]).resolve(section, path: key)
    return PluginSection(plugin: plugin, options: options)
  }
}

extension ConfigValue {
  /// The entries of a map (empty for anything else).
  var mapEntries: [(key: String, value: ConfigValue)] {
    if case .map(let entries) = self { return entries }
    return []
  }
}

/// The host's own config sections, described with the same option specs plugins use.
enum HostSchema {
  static func option(
    _ name: String, _ type: Int, _ defaultValue: String?, _ doc: String, min: Double? = nil,
    max: Double? = nil
  ) -> OptionInfo {
    OptionInfo(
      name: name, type: UInt32(type), required: defaultValue == nil, defaultValue: defaultValue,
      doc: doc, min: min, max: max)
  }

  static let top = [
    option(
      "name", EQP_OPT_STRING, "run",
      "the run's name (the default run folder is runs/NAME); a config file without one is named after the file"),
    option("seed", EQP_OPT_INT, "0", "seeds initialisation, shuffling and random β signs", min: 0),
    option("dtype", EQP_OPT_STRING, "f32", "f32 for training, f64 for checks"),
  ]
  static let training = [
    option("epochs", EQP_OPT_INT, "1", "passes over the training set", min: 1),
    option("batch_size", EQP_OPT_INT, "20", "minibatch size B", min: 1),
    option("test_batch_size", EQP_OPT_INT, "1000", "batch size of evaluation", min: 1),
    option("train_limit", EQP_OPT_INT, "0", "train on the first N examples only (0: all)", min: 0),
    option("test_limit", EQP_OPT_INT, "0", "evaluate on the first N test examples (0: all)", min: 0),
    option(
      "eval_steps", EQP_OPT_INT, "0",
      "free-phase steps when evaluating, from zero states (0: the dynamics' free_steps; more "
        + "when training relies on persistent states)", min: 0),
    option(
      "log_every", EQP_OPT_INT, "100",
      "batches per line of metrics.jsonl (mean error, loss and metrics of the window)", min: 1),
  ]
  static let optimizer = [
    option("lr", EQP_OPT_FLOAT_LIST, nil, "learning rate per parameter group, output → input", min: 0),
    option("momentum", EQP_OPT_FLOAT, "0", "SGD momentum (the papers use 0)", min: 0, max: 0.999),
  ]
  static let check = [
    option("beta", EQP_OPT_FLOAT, "0.001", "β of the EP side of a check"),
    option("nudged_steps", EQP_OPT_INT, "10", "K: steps compared", min: 1),
    option("input", EQP_OPT_STRING, "data", "data (first shuffled minibatch) or random (x ~ U[0,1))"),
  ]
  /// How `mpirun -np N eqprop train` spreads a run over ranks (README, "Running on a cluster").
  static let parallel = [
    option(
      "continual_reduce", EQP_OPT_STRING, "step",
      "C-EP/C-VF under MPI: step (exact: an allreduce per second-phase step) or batch "
        + "(accumulate-then-reduce, an approximation: each rank applies its own shard's steps, "
        + "θ is averaged over ranks at the batch's end)"),
  ]
  /// One `hooks:` entry; `every` and `every_batches` are checked by `HookConfig`.
  static let hook = [
    option("plugin", EQP_OPT_STRING, nil, "the run's model, dynamics or learner: id, or kind:id"),
    option("function", EQP_OPT_STRING, nil, "an extension function the plugin exports"),
    option("args", EQP_OPT_TREE, "[]", "values for the signature's i l f d s t letters"),
  ]
}
