@preconcurrency import CEqprop
import Foundation

/// What `eqprop plugins` prints: a table for people, JSON for scripts.
public enum PluginListing {
  /// One row per plugin, then the notices and refusals.
  public static func table(_ catalog: PluginCatalog) -> String {
    let header = ["ID", "KIND", "VERSION", "ABI", "CAPABILITIES", "FILE"]
    let rows = catalog.plugins.map { plugin in
      [
        plugin.id, plugin.kind.name, plugin.version,
        "\(plugin.library.abiMajor).\(plugin.library.abiMinor)",
        plugin.capabilityNames.isEmpty ? "-" : plugin.capabilityNames.joined(separator: ","),
        plugin.file,
      ]
    }
    var widths = header.map(\.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    var lines = [line(header)] + rows.map(line)
    if rows.isEmpty { lines.append("(no plugins found)") }
    lines += catalog.notices.map { "notice: \($0)" }
    lines += catalog.refusals.map { "refused: \($0)" }
    return lines.joined(separator: "\n")
  }

  /// `{"host_abi": "1.0", "plugins": [...], "notices": [...], "refusals": [...]}`.
  public static func json(_ catalog: PluginCatalog) -> String {
    let plugins: [[String: Any]] = catalog.plugins.map { plugin in
      [
        "id": plugin.id, "kind": plugin.kind.name, "name": plugin.displayName,
        "version": plugin.version,
        "abi": "\(plugin.library.abiMajor).\(plugin.library.abiMinor)",
        "capabilities": plugin.capabilityNames, "file": plugin.file,
        "library": plugin.library.name, "description": plugin.description,
        "options": plugin.options.map { option -> [String: Any] in
          var entry: [String: Any] = [
            "name": option.name, "required": option.required, "doc": option.doc,
          ]
          if let value = option.defaultValue { entry["default"] = value }
          return entry
        },
        "functions": plugin.functions.map { ["name": $0.name, "signature": $0.signature.description, "doc": $0.doc] },
      ]
    }
    let refusals: [[String: Any]] = catalog.refusals.map { refusal in
      var entry: [String: Any] = ["file": refusal.file, "reason": refusal.reason]
      if let plugin = refusal.plugin { entry["plugin"] = plugin }
      return entry
    }
    let object: [String: Any] = [
      "host_abi": "\(EQP_ABI_MAJOR).\(EQP_ABI_MINOR)", "plugins": plugins,
      "notices": catalog.notices, "refusals": refusals,
    ]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
