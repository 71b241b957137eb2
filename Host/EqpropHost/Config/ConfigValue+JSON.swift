import Foundation

extension ConfigValue {
  /// JSON text with map keys in their order (`eqprop config show --json`). JSON has no NaN
  /// or infinity: such numbers are written as null.
  public var jsonText: String {
    switch self {
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .float(let value): return value.isFinite ? "\(value)" : "null"
    case .string(let value): return Self.jsonString(value)
    case .list(let values): return "[" + values.map(\.jsonText).joined(separator: ", ") + "]"
    case .map(let entries):
      return "{" + entries.map { Self.jsonString($0.key) + ": " + $0.value.jsonText }
        .joined(separator: ", ") + "}"
    }
  }

  /// A JSON string literal, escaped by Foundation's encoder.
  private static func jsonString(_ text: String) -> String {
    let data = try? JSONSerialization.data(
      withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
  }
}
