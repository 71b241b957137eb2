import ArgumentParser
import EqpropHost

/// `eqprop plugins`: what is installed, with versions, capabilities and files.
struct PluginsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plugins",
    abstract: "List the plugins found on the search path, and any that were refused.",
    discussion: """
      Search order: each --plugins DIR, then EQPROP_PLUGIN_PATH (colon-separated), then the \
      folder holding the eqprop executable. An id found in an earlier folder shadows a later \
      one. Exits with status 1 when any file or plugin was refused.
      """)

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  func run() throws {
    let catalog = plugins.catalog
    print(json ? PluginListing.json(catalog) : PluginListing.table(catalog))
    if !catalog.refusals.isEmpty { throw ExitCode(1) }
  }
}
