/// A config value after parsing, independent of the file format (YAML now, TOML later).
///
/// Map keys keep their order, so a resolved config prints in the order it was written.
public indirect enum ConfigValue: Equatable, Sendable {
  case bool(Bool)
  case int(Int64)
  case float(Double)
  case string(String)
  case list([ConfigValue])
  case map([(key: String, value: ConfigValue)])

  public static func == (a: ConfigValue, b: ConfigValue) -> Bool {
    switch (a, b) {
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.string(let x), .string(let y)): return x == y
    case (.list(let x), .list(let y)): return x == y
    case (.map(let x), .map(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The value at `key` of a map, or nil.
  public subscript(key: String) -> ConfigValue? {
    guard case .map(let entries) = self else { return nil }
    return entries.first { $0.key == key }?.value
  }

  /// A number as Double (ints widen); nil for anything else.
  public var number: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .float(let value): return value
    default: return nil
    }
  }

  /// A short description of the value's type, for messages.
  public var typeName: String {
    switch self {
    case .bool: return "a boolean"
    case .int: return "an integer"
    case .float: return "a number"
    case .string: return "a string"
    case .list: return "a list"
    case .map: return "a map"
    }
  }

  /// YAML flow text (`[1, 2]`, `{a: 1}`), as the resolved config is written.
  public var flowText: String {
    switch self {
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .float(let value): return Self.format(value)
    case .string(let value): return YAMLString.text(value)
    case .list(let values): return "[" + values.map(\.flowText).joined(separator: ", ") + "]"
    case .map(let entries):
      let members = entries.map { entry in
        let key = YAMLString.text(entry.key)
        return (YAMLString.isImplicitKey(key) ? key : "? " + key) + ": " + entry.value.flowText
      }
      return "{" + members.joined(separator: ", ") + "}"
    }
  }

  /// Block-style YAML of a map, nested maps indented.
  public func yamlText(indent: Int = 0) -> String {
    guard case .map(let entries) = self else { return flowText }
    let pad = String(repeating: " ", count: indent)
    return entries.map { entry in
      let key = YAMLString.text(entry.key)
      let head =
        YAMLString.isImplicitKey(key) ? pad + key + ":" : pad + "? " + key + "\n" + pad + ":"
      // An empty map stays in flow style: `key:` alone would read back as an empty string.
      if case .map(let members) = entry.value, !members.isEmpty {
        return head + "\n" + entry.value.yamlText(indent: indent + 2)
      }
      return head + " " + entry.value.flowText
    }.joined(separator: "\n")
  }

  private static func format(_ value: Double) -> String {
    if value.isNaN { return ".nan" }
    if value.isInfinite { return value > 0 ? ".inf" : "-.inf" }
    let text = "\(value)"
    return text.contains(".") || text.contains("e") ? text : text + ".0"
  }
}

/// Typing of a plain (unquoted) scalar: booleans, integers, numbers, else a string. Done by
/// hand rather than by YAML 1.1's resolver, which reads `1e-3` as a string.
enum ConfigScalar {
  static func type(of text: String) -> ConfigValue {
    switch text {
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".nan", ".NaN", ".NAN": return .float(.nan)
    case ".inf", "+.inf", ".Inf": return .float(.infinity)
    case "-.inf", "-.Inf": return .float(-.infinity)
    default: break
    }
    if let value = Int64(text) { return .int(value) }
    let numeric = text.first.map { $0.isNumber || "+-.".contains($0) } ?? false
    if numeric, let value = Double(text) { return .float(value) }
    return .string(text)
  }
}
