@preconcurrency import CEqprop

/// An extension function bound to its arguments and to what the host supplies (`p`, `P`,
/// `t`, `e`), ready to be called once (`eqprop call`) or after every epoch (a hook).
///
/// The call keeps the session alive, so the instance, θ and tensor views it passes stay
/// valid for as long as the call exists.
public final class ExtensionCall {
  public let plugin: PluginRecord
  public let function: FunctionInfo
  public let arguments: [ExtensionArgument]
  private let session: TrainingSession?
  private let sink = ErrorSink()
  private let foreign: ForeignCall

  /// Initialises the plugin's library (once) and prepares the libffi call.
  public init(
    plugin: PluginRecord, function: FunctionInfo, arguments: [ExtensionArgument],
    session: TrainingSession?
  ) throws(PluginFailure) {
    self.plugin = plugin
    self.function = function
    self.arguments = arguments
    self.session = session
    guard arguments.count == function.signature.callerArguments.count else {
      throw Self.failure(
        plugin, function,
        "internal: \(arguments.count) argument(s) given for \(function.signature.callerArguments.count)"
      )
    }
    try plugin.initializeLibrary()
    var given = arguments.makeIterator()
    var values: [ForeignValue] = []
    for type in function.signature.arguments {
      let value = type.isSuppliedByHost ? nil : given.next()
      values.append(try Self.foreignValue(type, value, session, plugin, function, sink))
    }
    foreign = try ForeignCall(
      function: function.address, returns: function.signature.returnType, arguments: values)
  }

  /// Calls the function; when it takes `e` and reported a failure there, throws it with the
  /// plugin and function named.
  public func invoke() throws(PluginFailure) -> ExtensionResult {
    sink.reset()
    let result = foreign.call()
    if sink.isSet { throw Self.failure(plugin, function, sink.describe(sink.code)) }
    return result
  }

  private static func failure(_ plugin: PluginRecord, _ function: FunctionInfo, _ reason: String)
    -> PluginFailure
  {
    PluginCall.failure(plugin, "function '\(function.name)' (\(function.signature))", reason)
  }

  private static func foreignValue(
    _ type: FunctionSignature.ArgumentType, _ given: ExtensionArgument?,
    _ session: TrainingSession?, _ plugin: PluginRecord, _ function: FunctionInfo, _ sink: ErrorSink
  ) throws(PluginFailure) -> ForeignValue {
    func refuse(_ reason: String) -> PluginFailure {
      PluginFailure(
        "\(plugin.kind.name) '\(plugin.id)' (\(plugin.file)): cannot call function "
          + "'\(function.name)' (\(function.signature)): \(reason)")
    }
    if type.needsSession, session == nil {
      throw refuse("\(type.meaning) needs a training session, and there is none")
    }
    switch (type, given) {
    case (.error, _): return .pointer(UnsafeRawPointer(sink.pointer))
    case (.params, _): return .pointer(session.map { UnsafeRawPointer($0.parametersPointer) })
    case (.instance, _):
      guard let instance = session?.instance(of: plugin) else {
        let names =
          session?.plugins.map { "\($0.kind.name) '\($0.id)'" }.joined(separator: ", ") ?? ""
        throw refuse("\(type.meaning) is passed only for the session's own plugins (\(names))")
      }
      return .pointer(UnsafeRawPointer(instance))
    case (.tensor, .tensor(let name)?):
      guard let view = session?.parameterView(named: name) else {
        let names = session?.model.parameters.map(\.name).joined(separator: ", ") ?? ""
        throw refuse("the model has no θ tensor '\(name)' (it has \(names))")
      }
      return .pointer(UnsafeRawPointer(view))
    case (.int32, .int32(let value)?): return .int32(value)
    case (.int64, .int64(let value)?): return .int64(value)
    case (.float, .float(let value)?): return .float(value)
    case (.double, .double(let value)?): return .double(value)
    case (.string, .string(let text)?): return .string(text)
    default:
      throw refuse(
        "internal: the argument for \(type.meaning) is \(given.map { "\($0)" } ?? "missing")")
    }
  }
}
