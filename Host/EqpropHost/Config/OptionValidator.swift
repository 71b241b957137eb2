@preconcurrency import CEqprop

/// Checks a config section against a list of option specs (a plugin's, or the host's own)
/// and returns it with every default filled in, in the specs' order.
///
/// Messages name the key's full path: "learner.beta: -0.1 is below the minimum 0". The
/// top level of a config has the empty path: its keys are named alone ("seed").
public struct OptionValidator {
  public var options: [OptionInfo]
  /// Keys allowed besides the options (`id` in plugin sections).
  public var extraKeys: [String] = []

  public init(options: [OptionInfo], extraKeys: [String] = []) {
    self.options = options
    self.extraKeys = extraKeys
  }

  public func resolve(_ section: ConfigValue?, path: String) throws(ConfigError) -> ConfigValue {
    let given: [(key: String, value: ConfigValue)]
    switch section {
    case nil: given = []
    case .map(let entries)?: given = entries
    case let other?:
      throw ConfigError("\(path.isEmpty ? "the config" : path): must be a map of options, found \(other.typeName)")
    }
    let known = options.map(\.name) + extraKeys
    for entry in given where !known.contains(entry.key) {
      var message = "\(keyPath(path, entry.key)): unknown key"
      if let guess = Spelling.closest(to: entry.key, among: known) {
        message += "; did you mean '\(guess)'?"
      }
      message += " (known: \(known.joined(separator: ", ")))"
      throw ConfigError(message)
    }
    var resolved: [(key: String, value: ConfigValue)] = given.filter { extraKeys.contains($0.key) }
    for option in options {
      let keyPath = keyPath(path, option.name)
      if let value = given.first(where: { $0.key == option.name })?.value {
        resolved.append((option.name, try check(value, option, keyPath)))
      } else if let text = option.defaultValue {
        let value: ConfigValue
        // A string default is the text itself (YAML would read "" as an empty document).
        if option.type == UInt32(EQP_OPT_STRING) {
          resolved.append((option.name, .string(text)))
          continue
        }
        do {
          value = try ConfigParser.parse(text: text, source: "the default of \(keyPath)")
        } catch {
          throw ConfigError("\(keyPath): the plugin's default \"\(text)\" is not valid YAML")
        }
        resolved.append((option.name, try check(value, option, keyPath + " (default)")))
      } else {
        throw ConfigError("\(keyPath): required, but not given (\(option.doc))")
      }
    }
    return .map(resolved)
  }

  private func keyPath(_ section: String, _ key: String) -> String {
    section.isEmpty ? key : "\(section).\(key)"
  }

  private func check(_ value: ConfigValue, _ option: OptionInfo, _ path: String)
    throws(ConfigError) -> ConfigValue
  {
    switch Int(option.type) {
    case EQP_OPT_BOOL:
      guard case .bool = value else { throw mismatch(path, "a boolean", value) }
      return value
    case EQP_OPT_INT:
      guard case .int = value else { throw mismatch(path, "an integer", value) }
      try bounds(value, option, path)
      return value
    case EQP_OPT_FLOAT:
      guard let number = value.number else { throw mismatch(path, "a number", value) }
      try bounds(.float(number), option, path)
      return .float(number)
    case EQP_OPT_STRING:
      guard case .string = value else { throw mismatch(path, "a string", value) }
      return value
    case EQP_OPT_INT_LIST:
      guard case .list(let elements) = value else { throw mismatch(path, "a list of integers", value) }
      for (index, element) in elements.enumerated() {
        guard case .int = element else { throw mismatch("\(path)[\(index)]", "an integer", element) }
        try bounds(element, option, "\(path)[\(index)]")
      }
      return value
    case EQP_OPT_FLOAT_LIST:
      guard case .list(let elements) = value else { throw mismatch(path, "a list of numbers", value) }
      var numbers: [ConfigValue] = []
      for (index, element) in elements.enumerated() {
        guard let number = element.number else { throw mismatch("\(path)[\(index)]", "a number", element) }
        try bounds(.float(number), option, "\(path)[\(index)]")
        numbers.append(.float(number))
      }
      return .list(numbers)
    default:
      return value
    }
  }

  private func bounds(_ value: ConfigValue, _ option: OptionInfo, _ path: String) throws(ConfigError) {
    guard let number = value.number else { return }
    if number.isNaN { throw ConfigError("\(path): NaN is not allowed") }
    if let min = option.min, number < min {
      throw ConfigError("\(path): \(value.flowText) is below the minimum \(limitText(min, option))")
    }
    if let max = option.max, number > max {
      throw ConfigError("\(path): \(value.flowText) is above the maximum \(limitText(max, option))")
    }
  }

  /// A bound as the option's values are written: "1" for an integer option, "0.999" else.
  private func limitText(_ limit: Double, _ option: OptionInfo) -> String {
    let integral = [EQP_OPT_INT, EQP_OPT_INT_LIST].contains(Int(option.type))
    if integral, let whole = Int64(exactly: limit) { return String(whole) }
    return ConfigValue.float(limit).flowText
  }

  private func mismatch(_ path: String, _ expected: String, _ found: ConfigValue) -> ConfigError {
    ConfigError("\(path): must be \(expected), found \(found.typeName) (\(found.flowText))")
  }
}

/// Suggestions for misspelt keys.
enum Spelling {
  /// The candidate within edit distance 2 of `word` (the closest), if any.
  static func closest(to word: String, among candidates: [String]) -> String? {
    candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
  }

  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var current = [i] + [Int](repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
  }
}
