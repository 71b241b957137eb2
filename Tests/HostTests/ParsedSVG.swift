import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An SVG document read back with `XMLParser`: its elements in order, and the text inside each.
struct ParsedSVG {
  struct Element {
    var name: String
    var attributes: [String: String]
    var text: String
  }

  let elements: [Element]

  /// Parses `svg`, failing with the parser's message when it is not well-formed XML.
  init(_ svg: String) throws {
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    guard parser.parse() else {
      throw ParseFailure(message: "\(parser.parserError.map { "\($0)" } ?? "unknown"): \(svg)")
    }
    elements = collector.elements
  }

  func named(_ name: String) -> [Element] {
    elements.filter { $0.name == name }
  }

  func text(of name: String) -> [String] {
    named(name).map(\.text)
  }

  /// The contents of every `<text>` element.
  var texts: [String] { text(of: "text") }

  /// Whether every numeric attribute of a drawn element is a finite number.
  var allCoordinatesAreFinite: Bool {
    let numeric = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"]
    return elements.allSatisfy { element in
      numeric.allSatisfy { key in
        guard let value = element.attributes[key], !value.hasSuffix("%") else { return true }
        return Double(value)?.isFinite ?? false
      }
        && !(element.attributes["d"] ?? "").lowercased().contains("nan")
        && !(element.attributes["d"] ?? "").lowercased().contains("inf")
    }
  }

  struct ParseFailure: Error {
    var message: String
  }
}

/// Collects the elements `XMLParser` reports.
final class ElementCollector: NSObject, XMLParserDelegate {
  var elements: [ParsedSVG.Element] = []
  private var open: [Int] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    open.append(elements.count)
    elements.append(ParsedSVG.Element(name: elementName, attributes: attributeDict, text: ""))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    open.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let index = open.last { elements[index].text += string }
  }
}
