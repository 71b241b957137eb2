/// Writes a string into YAML text so that `ConfigParser` reads back the same string: plain
/// where that is unambiguous, else double-quoted with every character escaped that YAML
/// would change or refuse.
///
/// A run folder's `config.yaml` is written with it and read back on resume, so a name or a
/// folder with a line break or a control character must survive the trip.
enum YAMLString {
  static func text(_ text: String) -> String {
    // A leading "-" may start a sequence entry.
    let plain =
      !text.isEmpty && text.first != "-"
      && text.allSatisfy { $0.isLetter || $0.isNumber || "_-./".contains($0) }
      && ConfigScalar.type(of: text) == .string(text)
    if plain { return text }
    return "\"" + text.unicodeScalars.map(escaped).joined() + "\""
  }

  /// Whether `written`, a key as `text` wrote it, may stand as an implicit key (`key: value`):
  /// YAML reads at most 1024 characters there, so a longer key is written explicitly, after a
  /// `? ` indicator. Escapes make a written key longer than the one that was read.
  static func isImplicitKey(_ written: String) -> Bool { written.unicodeScalars.count < 1000 }

  /// One character inside double quotes. YAML folds a line break into a space and refuses
  /// characters outside its printable set, so those are escaped, as are `"` and `\`.
  private static func escaped(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\"": return "\\\""
    case "\\": return "\\\\"
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    case "\u{2028}", "\u{2029}": break  // Line and paragraph separators: line breaks to YAML.
    case " "..."~", "\u{A0}"..."\u{D7FF}", "\u{E000}"..."\u{FFFD}", "\u{10000}"...:
      return String(scalar)
    default: break
    }
    // Everything left is below U+10000.
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
  }
}
