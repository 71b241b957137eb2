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
  public var dataFolder: String?
  public var learningRates: [Double]
  public var momentum: Double
  public var model: PluginSection
  public var dynamics: PluginSection
  public var learner: PluginSection
  /// Extension functions called after epochs or batches, their results logged as metrics.
  public var hooks: [HookConfig]
  /// The `check:` section (gradient-matching checks), defaults filled in.
  public var check: CheckSettings

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

  /// The resolved config as YAML: every key, defaults included (saved beside the weights).
  public var resolved: ConfigValue

  /// Command-line values that replace the file's.
  public struct Overrides: Sendable {
    public var epochs: Int?
    public var seed: UInt64?
    public var dataFolder: String?
    public var logEvery: Int?
    public init(epochs: Int? = nil, seed: UInt64? = nil, dataFolder: String? = nil, logEvery: Int? = nil) {
      self.epochs = epochs
      self.seed = seed
      self.dataFolder = dataFolder
      self.logEvery = logEvery
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
    _ root: ConfigValue, source: String, catalog: PluginCatalog, overrides: Overrides = Overrides()
  ) throws(ConfigError) -> RunConfig {
    guard case .map(let entries) = root else {
      throw ConfigError("\(source): the top level must be a map of sections")
    }
    let nested = ["model", "dynamics", "learner", "optimizer", "training", "data", "check", "hooks"]
    let sections = ["name", "seed", "dtype"] + nested
    for entry in entries where !sections.contains(entry.key) {
      var message = "\(source): \(entry.key): unknown section"
      if let guess = Spelling.closest(to: entry.key, among: sections) { message += "; did you mean '\(guess)'?" }
      throw ConfigError(message + " (known: \(sections.joined(separator: ", ")))")
    }
    let top = try OptionValidator(options: HostSchema.top, extraKeys: nested)
      .resolve(root, path: "config")
    let training = try OptionValidator(options: HostSchema.training).resolve(root["training"], path: "training")
    let optimizer = try OptionValidator(options: HostSchema.optimizer).resolve(root["optimizer"], path: "optimizer")
    let data = try OptionValidator(options: HostSchema.data).resolve(root["data"], path: "data")
    let check = try OptionValidator(options: HostSchema.check).resolve(root["check"], path: "check")
    guard case .string(let input)? = check["input"], ["data", "random"].contains(input) else {
      throw ConfigError("check.input: must be \"data\" or \"random\"")
    }
    let model = try pluginSection(root, "model", .model, catalog)
    let dynamics = try pluginSection(root, "dynamics", .dynamics, catalog)
    let learner = try pluginSection(root, "learner", .learner, catalog)
    let hooks = try HookConfig.resolve(root["hooks"], plugins: [model.plugin, dynamics.plugin, learner.plugin])

    func int(_ section: ConfigValue, _ key: String) -> Int {
      if case .int(let value)? = section[key] { return Int(value) }
      return 0
    }
    func string(_ section: ConfigValue, _ key: String) -> String {
      if case .string(let value)? = section[key] { return value }
      return ""
    }
    let dtypeName = string(top, "dtype")
    let dtype: UInt32
    switch dtypeName {
    case "f32": dtype = UInt32(EQP_DTYPE_F32)
    case "f64": dtype = UInt32(EQP_DTYPE_F64)
    default: throw ConfigError("dtype: \"\(dtypeName)\" is not one of f32, f64")
    }
    var rates: [Double] = []
    if case .list(let values)? = optimizer["lr"] { rates = values.compactMap(\.number) }
    let seed = overrides.seed ?? UInt64(int(top, "seed"))
    let epochs = overrides.epochs ?? int(training, "epochs")
    let logEvery = overrides.logEvery ?? int(training, "log_every")
    let folder = overrides.dataFolder ?? string(data, "dir")
    var trainingResolved = training
    var topResolved = top
    for (key, value) in [("epochs", epochs), ("log_every", logEvery)] {
      if case .map(var entries) = trainingResolved, let index = entries.firstIndex(where: { $0.key == key }) {
        entries[index].value = .int(Int64(value))
        trainingResolved = .map(entries)
      }
    }
    if case .map(var entries) = topResolved, let index = entries.firstIndex(where: { $0.key == "seed" }) {
      entries[index].value = .int(Int64(seed))
      topResolved = .map(entries)
    }
    let resolvedTop: [(key: String, value: ConfigValue)] =
      (topResolved.mapEntries.filter { !nested.contains($0.key) })
      + [("model", model.options), ("dynamics", dynamics.options), ("learner", learner.options),
        ("optimizer", optimizer), ("training", trainingResolved), ("data", .map([("dir", .string(folder))])),
        ("check", check), ("hooks", hooks.resolved)]
    guard epochs >= 1 else { throw ConfigError("training.epochs: \(epochs) must be at least 1") }
    guard logEvery >= 1 else { throw ConfigError("training.log_every: \(logEvery) must be at least 1") }
    return RunConfig(
      name: string(top, "name"), seed: seed, dtype: dtype, epochs: epochs,
      batchSize: int(training, "batch_size"), testBatchSize: int(training, "test_batch_size"),
      trainLimit: int(training, "train_limit"), testLimit: int(training, "test_limit"),
      evalSteps: int(training, "eval_steps"), logEvery: logEvery,
      dataFolder: folder.isEmpty ? nil : folder, learningRates: rates,
      momentum: optimizer["momentum"]?.number ?? 0, model: model, dynamics: dynamics,
      learner: learner, hooks: hooks.hooks,
      check: CheckSettings(
        beta: check["beta"]?.number ?? 0, nudgedSteps: Int(check["nudged_steps"]?.number ?? 0), input: input),
      resolved: .map(resolvedTop))
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
      throw ConfigError("\(key).id: \(error.message)")
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
  /// One `hooks:` entry; `every` and `every_batches` are checked by `HookConfig`.
  static let hook = [
    option("plugin", EQP_OPT_STRING, nil, "the run's model, dynamics or learner: id, or kind:id"),
    option("function", EQP_OPT_STRING, nil, "an extension function the plugin exports"),
    option("args", EQP_OPT_TREE, "[]", "values for the signature's i l f d s t letters"),
  ]
  static let data = [
    option("dir", EQP_OPT_STRING, "", "IDX folder (empty: Debian's Fashion-MNIST)"),
  ]
}
