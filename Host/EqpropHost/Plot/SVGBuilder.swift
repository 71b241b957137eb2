/// Collects SVG elements and wraps them in a complete document.
///
/// Every string that came from a caller goes through ``SVGText/escape(_:)`` here, so the plots
/// themselves never build markup by hand.
struct SVGBuilder {
  /// Where a text's `x` sits: its start, middle or end.
  enum Anchor: String {
    case start
    case middle
    case end
  }

  /// The elements so far, one per line.
  private var elements: [String] = []

  /// A straight line.
  mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
    dashed: Bool = false, opacity: Double = 1, className: String? = nil
  ) {
    elements.append(
      "<line\(classAttribute(className)) x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\""
        + " y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
        + (dashed ? " stroke-dasharray=\"\(SVGBuilder.dashPattern)\"" : "")
        + strokeOpacity(opacity) + "/>")
  }

  /// A filled circle.
  mutating func circle(
    _ cx: Double, _ cy: Double, radius: Double, fill: String, className: String? = nil
  ) {
    elements.append(
      "<circle\(classAttribute(className)) cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(radius))\""
        + " fill=\"\(fill)\"/>")
  }

  /// A rectangle; `stroke` nil means no outline.
  mutating func rect(
    _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String,
    stroke: String? = nil, className: String? = nil
  ) {
    let outline = stroke.map { " stroke=\"\($0)\" stroke-width=\"1\"" } ?? ""
    elements.append(
      "<rect\(classAttribute(className)) x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\""
        + " height=\"\(n(height))\" fill=\"\(fill)\"\(outline)/>")
  }

  /// One line of text; `rotated` turns it 90° counter-clockwise about (x, y).
  mutating func text(
    _ content: String, _ x: Double, _ y: Double, size: Double, anchor: Anchor = .start,
    bold: Bool = false, rotated: Bool = false, fill: String = "#222222"
  ) {
    let weight = bold ? " font-weight=\"bold\"" : ""
    let rotation = rotated ? " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" : ""
    elements.append(
      "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\""
        + " fill=\"\(fill)\"\(weight)\(rotation)>\(SVGText.escape(content))</text>")
  }

  /// A stroked, unfilled path with round joins and caps (so a lone point shows as a dot).
  mutating func path(
    _ data: String, stroke: String, width: Double, dashed: Bool, opacity: Double = 1,
    className: String? = nil, title: String? = nil
  ) {
    let tooltip = title.map { "<title>\(SVGText.escape($0))</title>" } ?? ""
    elements.append(
      "<path\(classAttribute(className)) d=\"\(data)\" fill=\"none\" stroke=\"\(stroke)\""
        + " stroke-width=\"\(n(width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
        + (dashed ? " stroke-dasharray=\"\(SVGBuilder.dashPattern)\"" : "")
        + strokeOpacity(opacity) + ">\(tooltip)</path>")
  }

  /// The dashes of a dashed series, in pixels: long enough to read as dashes at 1.5 px.
  static let dashPattern = "6 4"

  /// The complete document: XML declaration, sized `<svg>`, `<title>`, one `<desc>` holding
  /// `notes` (when there are any), a white background, then the elements.
  func document(width: Double, height: Double, title: String, notes: [String]) -> String {
    let (w, h) = (n(width.rounded(.up)), n(height.rounded(.up)))
    var lines = [
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\""
        + " viewBox=\"0 0 \(w) \(h)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">",
      "<title>\(SVGText.escape(title))</title>",
    ]
    if !notes.isEmpty {
      lines.append("<desc>\(SVGText.escape(notes.joined(separator: "\n")))</desc>")
    }
    lines.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
    lines += elements
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The `stroke-opacity` attribute, or nothing for an opaque stroke.
  private func strokeOpacity(_ opacity: Double) -> String {
    opacity < 1 ? " stroke-opacity=\"\(n(opacity))\"" : ""
  }

  private func classAttribute(_ name: String?) -> String {
    name.map { " class=\"\($0)\"" } ?? ""
  }

  private func n(_ value: Double) -> String {
    SVGText.number(value)
  }
}
