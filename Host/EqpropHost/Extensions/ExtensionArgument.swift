/// A value the caller gives for one of a signature's caller letters (`i l f d s t`), checked
/// against its type.
public enum ExtensionArgument: Sendable, Equatable, CustomStringConvertible {
  case int32(Int32)
  case int64(Int64)
  case float(Float)
  case double(Double)
  case string(String)
  /// The name of a θ tensor ("W01"); the host passes that tensor's view.
  case tensor(String)

  /// Reads command-line text as `type`, or nil when it is not such a value.
  public static func parse(_ text: String, as type: FunctionSignature.ArgumentType)
    -> ExtensionArgument?
  {
    switch type {
    case .int32: return Int32(text).map { .int32($0) }
    case .int64: return Int64(text).map { .int64($0) }
    case .float: return Double(text).flatMap(Self.float)
    case .double: return Double(text).map { .double($0) }
    case .string: return .string(text)
    case .tensor: return text.isEmpty ? nil : .tensor(text)
    case .instance, .params, .error: return nil
    }
  }

  /// Reads a config value as `type` (an integer is accepted for `f` and `d`), or nil.
  static func from(_ value: ConfigValue, as type: FunctionSignature.ArgumentType)
    -> ExtensionArgument?
  {
    switch (type, value) {
    case (.int32, .int(let number)): return Int32(exactly: number).map { .int32($0) }
    case (.int64, .int(let number)): return .int64(number)
    case (.float, _): return value.number.flatMap(Self.float)
    case (.double, _): return value.number.map { .double($0) }
    case (.string, .string(let text)): return .string(text)
    case (.tensor, .string(let text)): return text.isEmpty ? nil : .tensor(text)
    default: return nil
    }
  }

  /// A double as float, unless it overflows to infinity.
  private static func float(_ value: Double) -> ExtensionArgument? {
    let narrowed = Float(value)
    return narrowed.isInfinite && value.isFinite ? nil : .float(narrowed)
  }

  /// The value as written in metric names and printed results.
  public var description: String {
    switch self {
    case .int32(let value): return "\(value)"
    case .int64(let value): return "\(value)"
    case .float(let value): return "\(value)"
    case .double(let value): return "\(value)"
    case .string(let text), .tensor(let text): return text
    }
  }
}

/// Why a caller's argument list does not fit a signature: `index` is the 0-based position of
/// the bad value, nil when the count is wrong; `reason` is a sentence fragment the caller
/// prefixes with where the list came from.
public struct ArgumentProblem: Error, Sendable {
  public var index: Int?
  public var reason: String
}

extension FunctionSignature {
  /// Checks `values` against the caller letters and converts each, or names the first
  /// that does not fit. `read` converts one value; `show` quotes it in a message.
  func parseArguments<Value>(
    _ values: [Value], read: (Value, ArgumentType) -> ExtensionArgument?, show: (Value) -> String
  ) -> Result<[ExtensionArgument], ArgumentProblem> {
    let expected = callerArguments
    guard values.count == expected.count else {
      let list = expected.isEmpty ? "none" : expected.map(\.meaning).joined(separator: ", ")
      return .failure(
        ArgumentProblem(
          index: nil,
          reason:
            "signature \(self) takes \(expected.count) argument\(expected.count == 1 ? "" : "s") "
            + "(\(list)), found \(values.count)"))
    }
    var arguments: [ExtensionArgument] = []
    for (index, (value, type)) in zip(values, expected).enumerated() {
      guard let argument = read(value, type) else {
        return .failure(
          ArgumentProblem(
            index: index,
            reason: "expected \(type.meaning) of signature \(self), found \(show(value))"))
      }
      arguments.append(argument)
    }
    return .success(arguments)
  }
}
