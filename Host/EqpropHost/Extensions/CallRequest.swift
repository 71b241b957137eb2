import Foundation

/// What `eqprop call PLUGIN FUNCTION [ARGS…]` asks for, checked against the catalog and the
/// function's signature before anything runs.
public struct CallRequest {
  public let plugin: PluginRecord
  public let function: FunctionInfo
  public let arguments: [ExtensionArgument]

  /// Finds the plugin and function and parses the command-line arguments by the signature.
  public init(
    catalog: PluginCatalog, plugin reference: String, function name: String,
    arguments texts: [String]
  )
    throws(CallRequestError)
  {
    switch PluginLookup.plugin(reference, among: catalog.plugins) {
    case .success(let found): plugin = found
    case .failure(let failure):
      // A plugin refused at load (a malformed signature, say) is explained, not just missing.
      let id = reference.split(separator: ":").last.map(String.init) ?? reference
      let refused = catalog.refusals.filter { $0.plugin == id }.map(\.description)
      throw CallRequestError(
        failure.reason + (refused.isEmpty ? "" : "; refused: " + refused.joined(separator: "; ")))
    }
    switch PluginLookup.function(name, of: plugin) {
    case .success(let found): function = found
    case .failure(let failure): throw CallRequestError(failure.reason)
    }
    let label = "\(PluginLookup.qualified(plugin)).\(name)"
    switch function.signature.parseArguments(
      texts, read: ExtensionArgument.parse, show: { "\"\($0)\"" })
    {
    case .success(let parsed): arguments = parsed
    case .failure(let problem):
      let position = problem.index.map { "argument \($0 + 1) of " } ?? ""
      throw CallRequestError("\(position)\(label): \(problem.reason)")
    }
  }

  /// Whether the function takes `p`, `P` or `t`, which need a session (`--config`).
  public var needsSession: Bool { function.signature.needsSession }

  /// Calls the function once.
  public func run(session: TrainingSession?) throws(PluginFailure) -> ExtensionResult {
    try ExtensionCall(plugin: plugin, function: function, arguments: arguments, session: session)
      .invoke()
  }

  /// `{"plugin", "kind", "function", "signature", "args", "result"}`; result is null for `v`.
  public func json(_ result: ExtensionResult) -> String {
    let object: [String: Any] = [
      "plugin": plugin.id, "kind": plugin.kind.name, "function": function.name,
      "signature": function.signature.description, "args": arguments.map(\.description),
      "result": Self.jsonValue(result),
    ]
    // Strings, numbers and null always serialise.
    let data = try? JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data ?? Data("{}".utf8), as: UTF8.self)
  }

  private static func jsonValue(_ result: ExtensionResult) -> Any {
    // JSON has no NaN or infinity: those travel as their text.
    guard let number = result.number else { return NSNull() }
    guard number.isFinite else { return result.description }
    switch result {
    case .int32(let value): return Int(value)
    case .int64(let value): return value
    // The shortest text of a float reads back as the value the user expects (0.1).
    case .float: return Double(result.description) ?? number
    case .double, .void: return number
    }
  }
}

/// A call the command line asked for that cannot be made: the sentence to show.
public struct CallRequestError: Error, Sendable, CustomStringConvertible {
  public var message: String
  init(_ message: String) { self.message = message }
  public var description: String { message }
}
