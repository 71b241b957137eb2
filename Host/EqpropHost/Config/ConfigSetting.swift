/// One `--set KEY=VALUE` of the command line: a value that replaces (or adds) one key of the
/// parsed config before it is checked, so a sweep needs no edited copies of a file and a
/// misspelt key is refused exactly as it would be in the file.
///
/// The value is YAML, read like a value in a file: `0.2`, `1e-3`, `tanh`, `[0.1, 0.05]`,
/// `{id: ep, beta: 0.2}`; an empty value is the empty string.
public struct ConfigSetting: Equatable, Sendable, CustomStringConvertible {
  public var path: ConfigKeyPath
  public var value: ConfigValue
  /// KEY=VALUE as given, to pass on to a child process (`bench --train`).
  public var argument: String
  /// Where the setting came from, for messages: "--set KEY=VALUE", or "--epochs".
  public var description: String

  public init(parsing argument: String) throws(ConfigError) {
    guard let equals = argument.firstIndex(of: "=") else {
      throw ConfigError(
        "--set \(argument): no '='; write --set KEY=VALUE (for example --set learner.beta=0.2)")
    }
    let key = String(argument[..<equals])
    let text = String(argument[argument.index(after: equals)...])
    guard let path = ConfigKeyPath(key) else {
      throw ConfigError(
        "--set \(argument): '\(key)' is not a key path; write keys joined by dots, list indices "
          + "in brackets (model.layers[1]=64)")
    }
    self.path = path
    self.argument = argument
    self.description = "--set \(argument)"
    // YAML reads an empty text as an empty document; here it means the empty string.
    value = text.isEmpty ? .string("") : try ConfigParser.parse(text: text, source: "--set \(key)")
  }

  /// A value a dedicated option (`--epochs`) sets at `keys`, named by it in messages.
  init(_ keys: [String], _ value: ConfigValue, option: String) {
    self.init(ConfigKeyPath(keys.map { .key($0) }), value, source: option)
  }

  /// A value set at `path` by something other than `--set` (a sweep file's `set:` or
  /// `grid:`), named `source` in messages.
  init(_ path: ConfigKeyPath, _ value: ConfigValue, source: String) {
    self.path = path
    self.value = value
    argument = "\(path)=\(value.flowText)"
    description = source
  }

  /// `root` with this setting's value at its path. Maps on the way are made when absent (the
  /// checks that follow refuse a key no section knows); list elements must exist.
  public func apply(to root: ConfigValue) throws(ConfigError) -> ConfigValue {
    try replace(root, depth: 0)
  }

  private func replace(_ current: ConfigValue?, depth: Int) throws(ConfigError) -> ConfigValue {
    guard depth < path.components.count else { return value }
    let parent = depth == 0 ? "the config" : path.prefix(depth).description
    switch path.components[depth] {
    case .key(let name):
      var entries: [(key: String, value: ConfigValue)]
      switch current {
      case nil: entries = []
      case .map(let existing)?: entries = existing
      case let other?:
        throw ConfigError(
          "\(self): \(parent) is \(other.typeName) (\(other.flowText)), so it has no key '\(name)'")
      }
      if let index = entries.firstIndex(where: { $0.key == name }) {
        entries[index].value = try replace(entries[index].value, depth: depth + 1)
      } else {
        entries.append((name, try replace(nil, depth: depth + 1)))
      }
      return .map(entries)
    case .index(let index):
      guard case .list(var elements)? = current else {
        let found = current.map { "is \($0.typeName) (\($0.flowText))" } ?? "is not in the config"
        throw ConfigError(
          "\(self): \(parent) \(found), so it has no element [\(index)]; give the whole list "
            + "(--set \(parent)=[…])")
      }
      guard elements.indices.contains(index) else {
        throw ConfigError(
          "\(self): \(parent) has \(elements.count) element(s), so [\(index)] is out of range; "
            + "give the whole list (--set \(parent)=[…])")
      }
      elements[index] = try replace(elements[index], depth: depth + 1)
      return .list(elements)
    }
  }
}
