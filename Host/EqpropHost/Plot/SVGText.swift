/// Text and numbers as they go into SVG: XML escaping, short coordinates, and a width estimate.
enum SVGText {
  /// `text` safe inside an element or a quoted attribute: `&`, `<`, `>`, `"` and `'` become
  /// entities, and characters XML 1.0 forbids (most controls) become U+FFFD.
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": result += "\u{FFFD}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// A coordinate with at most two decimals (a hundredth of a pixel), trailing zeros dropped.
  static func number(_ value: Double) -> String {
    // Keep far-off points finite and printable; they are clipped by the plot anyway.
    let clamped = value.isFinite ? Swift.min(1e7, Swift.max(-1e7, value)) : 0
    let hundredths = Int((clamped * 100).rounded())
    let sign = hundredths < 0 ? "-" : ""
    let whole = abs(hundredths) / 100
    let fraction = abs(hundredths) % 100
    if fraction == 0 { return sign + String(whole) }
    let digits =
      fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
    return sign + String(whole) + "." + digits
  }

  /// Roughly how wide `text` renders at `fontSize` in a sans-serif face, for layout only.
  ///
  /// 0.62 em per character is DejaVu Sans's digit width plus a little, so estimates err wide and
  /// labels get room rather than overlap.
  static func width(_ text: String, fontSize: Double) -> Double {
    Double(text.count) * fontSize * 0.62
  }
}
