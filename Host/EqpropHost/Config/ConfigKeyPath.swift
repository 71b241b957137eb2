/// A path to a value inside a config: map keys and list indices, written as messages write
/// them (`learner.beta`, `model.layers[2]`, `hooks[0].every_batches`).
public struct ConfigKeyPath: Equatable, Sendable, CustomStringConvertible {
  public enum Component: Equatable, Sendable {
    case key(String)
    case index(Int)
  }

  public var components: [Component]

  public init(_ components: [Component]) { self.components = components }

  /// Parses `text`; nil when a key is empty or a bracket holds no index (`a..b`, `a[x]`).
  public init?(_ text: String) {
    var components: [Component] = []
    for part in text.split(separator: ".", omittingEmptySubsequences: false) {
      var name = Substring(part)
      var indices: [Int] = []
      while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
        guard let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]),
          index >= 0
        else { return nil }
        indices.insert(index, at: 0)
        name = name[..<open]
      }
      guard !name.isEmpty, !name.contains("["), !name.contains("]") else { return nil }
      components.append(.key(String(name)))
      components += indices.map { .index($0) }
    }
    self.components = components
  }

  public var description: String {
    var text = ""
    for component in components {
      switch component {
      case .key(let name): text += text.isEmpty ? name : "." + name
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }

  /// The path of the first `count` components.
  func prefix(_ count: Int) -> ConfigKeyPath { ConfigKeyPath(Array(components.prefix(count))) }
}

extension ConfigValue {
  /// The value at `path`, or nil when a key or index on the way is absent.
  public subscript(path: ConfigKeyPath) -> ConfigValue? {
    var current: ConfigValue? = self
    for component in path.components {
      switch component {
      case .key(let name): current = current?[name]
      case .index(let index):
        guard case .list(let elements)? = current, elements.indices.contains(index) else {
          return nil
        }
        current = elements[index]
      }
    }
    return current
  }
}
