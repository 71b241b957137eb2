@preconcurrency import CEqprop
import Foundation

/// Every plugin found on a search path, after validation, shadowing and duplicate checks.
public struct PluginCatalog: Sendable {
  /// The plugins in effect, sorted by kind then id.
  public private(set) var plugins: [PluginRecord] = []
  /// Files and plugins refused, each with its sentence.
  public private(set) var refusals: [PluginRefusal] = []
  /// Shadowing notices: an id found in an earlier folder hides a later one (as PATH does).
  public private(set) var notices: [String] = []
  /// Ids defined twice within one folder: unusable until one file is removed.
  private var ambiguous: [String: String] = [:]
  /// Files and folders left unopened because others could change them; `find` names them, as
  /// the plugin asked for may be among them.
  private var untrusted: [PluginRefusal] = []

  /// Loads every `*.so` in the search path's folders (sorted by name within a folder). Files
  /// and folders that others could change (`PluginTrust`) are refused, or with
  /// `allowingInsecure` loaded with a notice.
  public static func load(_ searchPath: PluginSearchPath, allowingInsecure: Bool = false)
    -> PluginCatalog
  {
    var catalog = PluginCatalog()
    var chosen: [String: PluginRecord] = [:]
    let trust = PluginTrust()
    for folder in searchPath.folders {
      guard catalog.admits(folder, trust.problem(folder: folder), allowingInsecure) else {
        continue
      }
      var inFolder: [String: PluginRecord] = [:]
      for file in libraryFiles(in: folder) {
        guard catalog.admits(file, trust.problem(file: file), allowingInsecure) else { continue }
        let outcome = PluginLoader.load(file: file)
        catalog.refusals += outcome.refusals
        for plugin in outcome.plugins {
          let key = "\(plugin.kind.name)/\(plugin.id)"
          if let twin = inFolder[key] {
            let message =
              "\(plugin.kind.name) id '\(plugin.id)' is defined twice in \(folder): by "
              + "\(twin.file) and by \(plugin.file); remove one"
            catalog.refusals.append(PluginRefusal(file: plugin.file, plugin: plugin.id, reason: message))
            catalog.ambiguous[key] = message
            continue
          }
          inFolder[key] = plugin
          if let earlier = chosen[key] {
            catalog.notices.append(
              "\(plugin.kind.name) '\(plugin.id)' in \(plugin.file) is shadowed by "
                + "\(earlier.file), which comes earlier in the search path")
          } else {
            chosen[key] = plugin
          }
        }
      }
    }
    for key in catalog.ambiguous.keys { chosen[key] = nil }
    catalog.plugins = chosen.values.sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }
    return catalog
  }

  /// The plugin of `kind` with `id`, or an error saying what exists instead.
  public func find(_ kind: PluginKind, id: String) throws(PluginFailure) -> PluginRecord {
    if let plugin = plugins.first(where: { $0.kind == kind && $0.id == id }) { return plugin }
    if let message = ambiguous["\(kind.name)/\(id)"] { throw PluginFailure(message) }
    let available = plugins.filter { $0.kind == kind }.map(\.id)
    let refused = refusals.filter { $0.plugin == id }.map(\.description)
    var message = "no \(kind.name) plugin with id '\(id)' was found"
    message += available.isEmpty ? "; none are installed" : "; available: \(available.joined(separator: ", "))"
    if !refused.isEmpty { message += "; refused: " + refused.joined(separator: "; ") }
    if !untrusted.isEmpty {
      message += "; not opened: " + untrusted.map(\.description).joined(separator: "; ")
    }
    throw PluginFailure(message)
  }

  /// Whether `path` may be opened: with a `problem`, a refusal, or only a notice when
  /// insecure plugins are allowed.
  private mutating func admits(_ path: String, _ problem: String?, _ allowingInsecure: Bool)
    -> Bool
  {
    guard let problem else { return true }
    if allowingInsecure {
      notices.append("\(path): \(problem); loaded anyway (--allow-insecure-plugins)")
      return true
    }
    let refusal = PluginRefusal(
      file: path, plugin: nil,
      reason: problem + ", or pass --allow-insecure-plugins to load it anyway")
    refusals.append(refusal)
    untrusted.append(refusal)
    return false
  }

  private static func libraryFiles(in folder: String) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
      return []
    }
    // readdir order is arbitrary: sort so shadowing and duplicate messages are stable.
    return names.filter { $0.hasSuffix(".so") }.sorted().map { folder + "/" + $0 }
  }
}

/// Opens one library file and validates what its entry returns.
enum PluginLoader {
  static func load(file: String) -> LibraryValidator.Outcome {
    let validator = LibraryValidator(path: file)
    let library: DynamicLibrary
    switch DynamicLibrary.open(file) {
    case .failure(let failure):
      return .init(refusals: [PluginRefusal(file: file, plugin: nil, reason: failure.message)])
    case .success(let opened): library = opened
    }
    switch library.symbol("eqp_plugin_entry") {
    case .failure(let failure):
      return .init(
        refusals: [
          PluginRefusal(
            file: file, plugin: nil, reason: failure.message + "; is it an eqprop plugin?")
        ])
    case .success(let address):
      let entry = unsafeBitCast(address, to: EQP_PluginEntryFn.self)
      return validator.validate(entryResult: entry(HostTables.info))
    }
  }
}
