/// JSON written by hand where the order of keys or the exact bytes matter: safetensors
/// headers (the same tensors give the same bytes) and metrics.jsonl (keys in the contract's
/// order, so a person reads the lines as easily as a program).
enum JSONText {
  /// `text` as a JSON string literal (RFC 8259 §7: quote, backslash and controls escaped).
  static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  /// `value` as a JSON number, shortest digits that read back to the same Double; `null` for
  /// NaN and ±∞, which JSON cannot hold.
  static func number(_ value: Double) -> String {
    value.isFinite ? "\(value)" : "null"
  }

  /// An object whose members come out in the order given.
  static func object(_ members: [(key: String, value: String)]) -> String {
    "{" + members.map { quote($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
  }
}
