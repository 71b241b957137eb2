import Foundation

/// A sweep file, the input of `eqprop sweep`: a base config, the seeds, a grid of values to
/// try and settings for every run, in YAML.
///
/// ```yaml
/// config: ../p1h-ep.yaml          # the base config, relative to this file's folder
/// seeds: [1, 2, 3, 4, 5]          # required: distinct whole numbers ≥ 0
/// grid:                           # optional: key paths, as --set takes them, to lists of values
///   learner.beta: [0.1, 0.2]
///   optimizer.lr: [[0.04, 0.08], [0.02, 0.04]]
/// set: {training.epochs: 2}       # optional: a value for every run
/// out: runs/sweep-p1h             # optional (default runs/sweep-<file stem>), relative to the
///                                 # working directory, as train's runs/NAME is
/// ```
public struct SweepFile: Sendable {
  /// One key of the grid and the values tried there, in the file's order.
  public struct Axis: Sendable {
    public var path: ConfigKeyPath
    public var values: [ConfigValue]
  }

  /// The file read, for messages.
  public var source: String
  /// The base config's path, as it is found from the working directory.
  public var config: String
  public var seeds: [UInt64]
  public var grid: [Axis]
  /// The `set:` values, then any the command line added.
  public var settings: [ConfigSetting]
  /// The folder of the sweep: a folder per run, the summary.
  public var out: String

  static let keys = ["config", "seeds", "grid", "set", "out"]

  /// Reads and checks the sweep file at `path`; the configs of its runs are checked later,
  /// by `SweepPlan`.
  public static func load(file path: String) throws(ConfigError) -> SweepFile {
    try parse(ConfigParser.parse(file: path), source: path)
  }

  static func parse(_ root: ConfigValue, source: String) throws(ConfigError) -> SweepFile {
    guard case .map(let entries) = root else {
      throw ConfigError(
        "\(source): the top level must be a map of \(keys.joined(separator: ", ")), found "
          + root.typeName)
    }
    for entry in entries where !keys.contains(entry.key) {
      var message = "\(source): \(entry.key): unknown key"
      if let guess = Spelling.closest(to: entry.key, among: keys) {
        message += "; did you mean '\(guess)'?"
      }
      throw ConfigError(message + " (known: \(keys.joined(separator: ", ")))")
    }
    guard case .string(let config)? = root["config"], !config.isEmpty else {
      throw ConfigError(
        "\(source): config: missing or not a file name; name the base config, relative to the "
          + "sweep file's folder (config: p1h-ep.yaml)")
    }
    let grid = try axes(root["grid"], source: source)
    let settings = try fixedSettings(root["set"], source: source)
    for axis in grid where settings.contains(where: { $0.path == axis.path }) {
      throw ConfigError(
        "\(source): \(axis.path) is in both grid and set; keep it in grid to try its values, or "
          + "in set to fix one")
    }
    var out =
      "runs/sweep-" + ((source as NSString).lastPathComponent as NSString).deletingPathExtension
    if let value = root["out"] {
      guard case .string(let text) = value, !text.isEmpty else {
        throw ConfigError("\(source): out: must be a folder name, found \(value.flowText)")
      }
      out = text
    }
    let folder = (source as NSString).deletingLastPathComponent
    return SweepFile(
      source: source,
      config: config.hasPrefix("/") || folder.isEmpty
        ? config : (folder as NSString).appendingPathComponent(config),
      seeds: try seeds(root["seeds"], source: source), grid: grid, settings: settings, out: out)
  }

  /// This sweep with the command line's `--set` values and `--data` applied to every run
  /// after the file's; none may touch a grid key or the seed.
  public func adding(_ extra: [ConfigSetting], data: String?) throws(ConfigError) -> SweepFile {
    let dataSetting = data.map { ConfigSetting(["data", "dir"], .string($0), option: "--data") }
    var result = self
    for setting in extra + (dataSetting.map { [$0] } ?? []) {
      if grid.contains(where: { $0.path == setting.path }) {
        throw ConfigError(
          "\(setting): \(setting.path) is a key of \(source)'s grid, which gives its values")
      }
      try Self.refuseSeed(setting.path, "\(setting)")
      result.settings.append(setting)
    }
    return result
  }

  private static func seeds(_ value: ConfigValue?, source: String) throws(ConfigError) -> [UInt64] {
    guard case .list(let elements)? = value, !elements.isEmpty else {
      let found = value.map { "; found \($0.flowText)" } ?? ""
      throw ConfigError(
        "\(source): seeds: must be a non-empty list, as seeds: [1, 2, 3, 4, 5] (each setting "
          + "runs once with each seed)\(found)")
    }
    var seeds: [UInt64] = []
    for (index, element) in elements.enumerated() {
      guard case .int(let number) = element, number >= 0 else {
        throw ConfigError(
          "\(source): seeds[\(index)]: \(element.flowText) is not a seed (a whole number ≥ 0)")
      }
      guard !seeds.contains(UInt64(number)) else {
        throw ConfigError(
          "\(source): seeds[\(index)]: \(number) is listed twice; each seed runs once per setting")
      }
      seeds.append(UInt64(number))
    }
    return seeds
  }

  private static func axes(_ value: ConfigValue?, source: String) throws(ConfigError) -> [Axis] {
    guard let value else { return [] }
    guard case .map(let entries) = value else {
      throw ConfigError(
        "\(source): grid: must be a map of config keys to lists of values "
          + "({learner.beta: [0.1, 0.2]}), found \(value.flowText)")
    }
    var axes: [Axis] = []
    for entry in entries {
      let path = try keyPath(entry.key, in: "grid", source: source)
      guard case .list(let values) = entry.value, !values.isEmpty else {
        throw ConfigError(
          "\(source): grid: \(entry.key): must be a non-empty list of the values to try, found "
            + "\(entry.value.flowText) (a value for every run goes in set:; a list value is "
            + "itself listed: optimizer.lr: [[0.1, 0.05]])")
      }
      for (index, element) in values.enumerated() where values[..<index].contains(element) {
        throw ConfigError(
          "\(source): grid: \(entry.key): \(element.flowText) is listed twice")
      }
      axes.append(Axis(path: path, values: values))
    }
    return axes
  }

  private static func fixedSettings(_ value: ConfigValue?, source: String) throws(ConfigError)
    -> [ConfigSetting]
  {
    guard let value else { return [] }
    guard case .map(let entries) = value else {
      throw ConfigError(
        "\(source): set: must be a map of config keys to values ({training.epochs: 2}), found "
          + value.flowText)
    }
    var settings: [ConfigSetting] = []
    for entry in entries {
      let path = try keyPath(entry.key, in: "set", source: source)
      settings.append(
        ConfigSetting(path, entry.value, source: "\(source): set: \(entry.key)"))
    }
    return settings
  }

  /// `key` of the `grid:` or `set:` map as a key path; the seed is refused, since `seeds:`
  /// gives it.
  private static func keyPath(_ key: String, in section: String, source: String)
    throws(ConfigError) -> ConfigKeyPath
  {
    guard let path = ConfigKeyPath(key) else {
      throw ConfigError(
        "\(source): \(section): '\(key)' is not a key path; write keys joined by dots, list "
          + "indices in brackets (model.layers[1])")
    }
    try refuseSeed(path, "\(source): \(section): \(key)")
    return path
  }

  private static func refuseSeed(_ path: ConfigKeyPath, _ origin: String) throws(ConfigError) {
    guard path != ConfigKeyPath([.key("seed")]) else {
      throw ConfigError("\(origin): the seeds go in seeds:, and each setting runs with each")
    }
  }
}
