/// What an extension function returned, by its signature's return letter.
public enum ExtensionResult: Sendable, Equatable, CustomStringConvertible {
  case void
  case int32(Int32)
  case int64(Int64)
  case float(Float)
  case double(Double)

  /// The value widened to Double, as metrics are logged; nil for `v`.
  public var number: Double? {
    switch self {
    case .void: return nil
    case .int32(let value): return Double(value)
    case .int64(let value): return Double(value)
    case .float(let value): return Double(value)
    case .double(let value): return value
    }
  }

  /// The shortest text that reads back as the same value ("0.1" for a float, not the
  /// double nearest to it); "void" for `v`.
  public var description: String {
    switch self {
    case .void: return "void"
    case .int32(let value): return "\(value)"
    case .int64(let value): return "\(value)"
    case .float(let value): return "\(value)"
    case .double(let value): return "\(value)"
    }
  }
}
