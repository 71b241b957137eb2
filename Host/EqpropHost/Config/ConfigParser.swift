import Foundation
import Yams

/// Reads a YAML config file into a `ConfigValue`, with errors that name the file and line.
public enum ConfigParser {
  public static func parse(file path: String) throws(ConfigError) -> ConfigValue {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError("\(path): cannot be read (\(error.localizedDescription))")
    }
    return try parse(text: text, source: path)
  }

  public static func parse(text: String, source: String) throws(ConfigError) -> ConfigValue {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw ConfigError("\(source): not valid YAML: \(error)")
    }
    guard let node else { return .map([]) }
    return try convert(node, path: "", source: source)
  }

  private static func convert(_ node: Node, path: String, source: String) throws(ConfigError)
    -> ConfigValue
  {
    switch node {
    case .scalar(let scalar):
      if scalar.style == .plain { return ConfigScalar.type(of: scalar.string) }
      return .string(scalar.string)
    case .sequence(let sequence):
      var values: [ConfigValue] = []
      for (index, element) in sequence.enumerated() {
        values.append(try convert(element, path: "\(path)[\(index)]", source: source))
      }
      return .list(values)
    case .mapping(let mapping):
      var entries: [(key: String, value: ConfigValue)] = []
      for (keyNode, valueNode) in mapping {
        guard case .scalar(let key) = keyNode else {
          throw ConfigError("\(source): \(path.isEmpty ? "the top level" : path) has a key that is not a string")
        }
        let childPath = path.isEmpty ? key.string : "\(path).\(key.string)"
        if entries.contains(where: { $0.key == key.string }) {
          throw ConfigError("\(source): \(childPath) is given twice")
        }
        entries.append((key.string, try convert(valueNode, path: childPath, source: source)))
      }
      return .map(entries)
    case .alias:
      throw ConfigError("\(source): \(path): YAML aliases are not supported in configs")
    }
  }
}

/// A config problem, as one sentence naming the key's path.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
