/// Finding the plugin and function an `eqprop call` or a config hook names. Failures are
/// sentence fragments listing what exists, which the caller prefixes with where the name
/// came from.
public enum PluginLookup {
  /// The plugin `reference` names among `plugins`: an id, or `kind:id` when the id is used by
  /// more than one kind.
  public static func plugin(_ reference: String, among plugins: [PluginRecord])
    -> Result<PluginRecord, LookupFailure>
  {
    let parts = reference.split(separator: ":", maxSplits: 1).map(String.init)
    var candidates = plugins
    var id = reference
    if parts.count == 2 {
      guard let kind = PluginKind.allCases.first(where: { $0.name == parts[0] }) else {
        return .failure(
          LookupFailure(
            "'\(parts[0])' in '\(reference)' is not a plugin kind (model, dynamics, learner)"))
      }
      candidates = plugins.filter { $0.kind == kind }
      id = parts[1]
    }
    let matches = candidates.filter { $0.id == id }
    if matches.count == 1, let plugin = matches.first { return .success(plugin) }
    if matches.count > 1 {
      return .failure(
        LookupFailure(
          "'\(id)' names \(matches.count) plugins (\(matches.map(qualified).joined(separator: ", "))); "
            + "write kind:id"))
    }
    var message = "no plugin '\(reference)'"
    if let guess = Spelling.closest(to: id, among: candidates.map(\.id)) {
      message += "; did you mean '\(guess)'?"
    }
    let available = plugins.map(qualified)
    message +=
      available.isEmpty
      ? " (none are loaded)" : " (available: \(available.joined(separator: ", ")))"
    return .failure(LookupFailure(message))
  }

  /// The function `name` of `plugin`, or a failure listing the functions it exports.
  public static func function(_ name: String, of plugin: PluginRecord) -> Result<
    FunctionInfo, LookupFailure
  > {
    if let function = plugin.functions.first(where: { $0.name == name }) {
      return .success(function)
    }
    var message = "\(qualified(plugin)) has no function '\(name)'"
    if let guess = Spelling.closest(to: name, among: plugin.functions.map(\.name)) {
      message += "; did you mean '\(guess)'?"
    }
    let exported = plugin.functions.map { "\($0.name) \($0.signature)" }
    message +=
      exported.isEmpty ? " (it exports none)" : " (it exports: \(exported.joined(separator: ", ")))"
    return .failure(LookupFailure(message))
  }

  /// `kind:id`, as a reference that is never ambiguous.
  public static func qualified(_ plugin: PluginRecord) -> String {
    "\(plugin.kind.name):\(plugin.id)"
  }
}

/// Why a plugin or function name matched nothing, or more than one thing.
public struct LookupFailure: Error, Sendable, CustomStringConvertible {
  public var reason: String
  init(_ reason: String) { self.reason = reason }
  public var description: String { reason }
}
