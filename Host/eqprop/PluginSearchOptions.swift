import ArgumentParser
import EqpropHost

/// Where to look for plugins and whether to load ones that others could change: shared by
/// every command that loads plugins.
struct PluginSearchOptions: ParsableArguments {
  @Option(name: .customLong("plugins"), help: "A folder to search for plugins first (repeatable).")
  var folders: [String] = []

  @Flag(
    help: """
      Load plugin files and folders that are world-writable or owned by another user (not \
      root): their code runs with your rights.
      """)
  var allowInsecurePlugins = false

  /// The plugins found in each --plugins folder, EQPROP_PLUGIN_PATH, then beside eqprop.
  var catalog: PluginCatalog {
    PluginCatalog.load(
      PluginSearchPath.standard(commandLine: folders), allowingInsecure: allowInsecurePlugins)
  }

  /// These options as command-line arguments, for a child eqprop.
  var arguments: [String] {
    let flag = allowInsecurePlugins ? ["--allow-insecure-plugins"] : []
    return folders.flatMap { ["--plugins", $0] } + flag
  }
}
