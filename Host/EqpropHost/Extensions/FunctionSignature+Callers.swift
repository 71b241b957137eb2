/// Who supplies each argument of an extension function: the host fills `p`, `P` and `e`;
/// the caller (`eqprop call`, a config hook) gives the others.
extension FunctionSignature.ArgumentType {
  /// Filled in by the host rather than given by the caller.
  public var isSuppliedByHost: Bool { [.instance, .params, .error].contains(self) }

  /// Needs a training session: the plugin's instance, θ, or a θ tensor named by the caller.
  public var needsSession: Bool { [.instance, .params, .tensor].contains(self) }

  /// The letter and what the caller writes for it, for messages: "i (int32)".
  public var meaning: String {
    let what: String
    switch self {
    case .int32: what = "int32"
    case .int64: what = "int64"
    case .float: what = "float"
    case .double: what = "double"
    case .string: what = "string"
    case .tensor: what = "the name of a θ tensor"
    case .instance: what = "the plugin's instance"
    case .params: what = "the session's θ"
    case .error: what = "the host's error sink"
    }
    return "\(rawValue) (\(what))"
  }
}

extension FunctionSignature {
  /// The arguments the caller gives, in order.
  public var callerArguments: [ArgumentType] { arguments.filter { !$0.isSuppliedByHost } }

  /// Whether calling the function needs a training session (`p`, `P` or `t`).
  public var needsSession: Bool { arguments.contains { $0.needsSession } }
}
