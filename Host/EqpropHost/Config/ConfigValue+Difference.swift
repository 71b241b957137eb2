extension ConfigValue {
  /// Where two values first differ: the key path (`learner.beta`, `optimizer.lr[1]`) and
  /// each side's value as YAML flow text ("absent" for a missing key); nil when equal.
  public func firstDifference(from other: ConfigValue, path: String = "")
    -> (path: String, mine: String, theirs: String)?
  {
    switch (self, other) {
    case (.map(let mine), .map(let theirs)):
      let keys =
        mine.map(\.key) + theirs.map(\.key).filter { key in !mine.contains { $0.key == key } }
      for key in keys {
        let child = path.isEmpty ? key : path + "." + key
        switch (self[key], other[key]) {
        case (let a?, let b?):
          if let found = a.firstDifference(from: b, path: child) { return found }
        case (let a?, nil): return (child, a.flowText, "absent")
        case (nil, let b?): return (child, "absent", b.flowText)
        case (nil, nil): continue
        }
      }
      return nil
    case (.list(let mine), .list(let theirs)) where mine.count == theirs.count:
      for (index, pair) in zip(mine, theirs).enumerated() {
        if let found = pair.0.firstDifference(from: pair.1, path: "\(path)[\(index)]") {
          return found
        }
      }
      return nil
    default:
      return self == other ? nil : (path, flowText, other.flowText)
    }
  }

  /// This map without the entry at `path` (keys from the top), unchanged when it has none.
  func removing(_ path: [String]) -> ConfigValue {
    guard case .map(let entries) = self, let first = path.first else { return self }
    if path.count == 1 { return .map(entries.filter { $0.key != first }) }
    return .map(
      entries.map { $0.key == first ? ($0.key, $0.value.removing(Array(path.dropFirst()))) : $0 })
  }
}
