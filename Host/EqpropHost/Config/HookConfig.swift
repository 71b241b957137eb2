/// One entry of the config's `hooks:` list: an extension function of the run's model,
/// dynamics or learner, called after every epoch or every N batches of an epoch, its result
/// logged as a metric.
///
/// ```yaml
/// hooks:
///   - {plugin: vf, function: psi, args: [0], every: epoch}
///   - {plugin: learner:ep, function: angle, every_batches: 100}
/// ```
public struct HookConfig: @unchecked Sendable {
  public enum Schedule: Sendable, Equatable {
    case epoch
    /// After batch N, 2N, … of each epoch.
    case batches(Int)
  }

  public var plugin: PluginRecord
  public var function: FunctionInfo
  public var arguments: [ExtensionArgument]
  public var schedule: Schedule
  /// Where the hook is in the config ("hooks[0]"), for messages.
  public var path: String

  /// The metric the result is logged as: "vf.psi[0]", or "vf.psi" without arguments.
  public var metricName: String {
    let base = "\(plugin.id).\(function.name)"
    return arguments.isEmpty
      ? base : base + "[" + arguments.map(\.description).joined(separator: ",") + "]"
  }

  /// Checks the `hooks:` list against the run's plugins, their functions and signatures, and
  /// returns the hooks with the list as resolved (the schedule written out).
  static func resolve(_ section: ConfigValue?, plugins: [PluginRecord]) throws(ConfigError)
    -> (hooks: [HookConfig], resolved: ConfigValue)
  {
    let entries: [ConfigValue]
    switch section {
    case nil: entries = []
    case .list(let list)?: entries = list
    case let other?: throw ConfigError("hooks: must be a list of hooks, found \(other.typeName)")
    }
    var hooks: [HookConfig] = []
    var resolved: [ConfigValue] = []
    for (index, entry) in entries.enumerated() {
      let (hook, text) = try resolve(entry, path: "hooks[\(index)]", plugins: plugins)
      if let twin = hooks.first(where: { $0.metricName == hook.metricName }) {
        throw ConfigError(
          "\(hook.path): calls \(hook.metricName) like \(twin.path); their values would mix in one metric"
        )
      }
      hooks.append(hook)
      resolved.append(text)
    }
    return (hooks, .list(resolved))
  }

  private static func resolve(_ entry: ConfigValue, path: String, plugins: [PluginRecord])
    throws(ConfigError) -> (HookConfig, ConfigValue)
  {
    let checked = try OptionValidator(
      options: HostSchema.hook, extraKeys: ["every", "every_batches"]
    )
    .resolve(entry, path: path)
    guard case .string(let reference)? = checked["plugin"],
      case .string(let name)? = checked["function"]
    else {
      throw ConfigError("\(path): plugin and function must be strings")
    }
    let plugin: PluginRecord
    switch PluginLookup.plugin(reference, among: plugins) {
    case .success(let found): plugin = found
    case .failure(let failure):
      throw ConfigError(
        "\(path).plugin: \(failure.reason); a hook calls the run's model, dynamics or learner")
    }
    let function: FunctionInfo
    switch PluginLookup.function(name, of: plugin) {
    case .success(let found): function = found
    case .failure(let failure): throw ConfigError("\(path).function: \(failure.reason)")
    }
    guard case .list(let values)? = checked["args"] else {
      throw ConfigError(
        "\(path).args: must be a list, found \(checked["args"]?.typeName ?? "nothing")")
    }
    let arguments: [ExtensionArgument]
    switch function.signature.parseArguments(
      values, read: ExtensionArgument.from, show: { "\($0.typeName) (\($0.flowText))" })
    {
    case .success(let parsed): arguments = parsed
    case .failure(let problem):
      throw ConfigError("\(path).args\(problem.index.map { "[\($0)]" } ?? ""): \(problem.reason)")
    }
    let schedule = try self.schedule(entry, path: path)
    let scheduleEntry: (key: String, value: ConfigValue) =
      switch schedule {
      case .epoch: ("every", .string("epoch"))
      case .batches(let count): ("every_batches", .int(Int64(count)))
      }
    let hook = HookConfig(
      plugin: plugin, function: function, arguments: arguments, schedule: schedule, path: path)
    let text = ConfigValue.map(
      [
        ("plugin", .string(reference)), ("function", .string(name)), ("args", .list(values)),
        scheduleEntry,
      ])
    return (hook, text)
  }

  /// `every: epoch` (the default) or `every_batches: N`, never both.
  private static func schedule(_ entry: ConfigValue, path: String) throws(ConfigError) -> Schedule {
    switch (entry["every"], entry["every_batches"]) {
    case (_?, _?):
      throw ConfigError("\(path): give every: epoch or every_batches: N, not both")
    case (nil, nil), (.string("epoch")?, nil):
      return .epoch
    case (let other?, nil):
      throw ConfigError(
        "\(path).every: must be \"epoch\", found \(other.flowText); for a hook every N batches, "
          + "write every_batches: N")
    case (nil, .int(let count)?) where count >= 1 && count <= Int64(Int32.max):
      return .batches(Int(count))
    case (nil, let other?):
      throw ConfigError(
        "\(path).every_batches: must be an integer ≥ 1, found \(other.typeName) (\(other.flowText))"
      )
    }
  }
}
