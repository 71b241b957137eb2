import ArgumentParser
import EqpropHost

/// The config file, its `--set` values and the plugin folders: what `config show` and
/// `config check` both resolve.
struct ConfigInput: ParsableArguments {
  @Argument(help: "A YAML config (see examples/).")
  var config: String

  @OptionGroup var settings: ConfigSettingOptions

  @Option(help: "A data folder or name, replacing data.dir.")
  var data: String?

  @Option(name: .customLong("plugins"), help: "A folder to search for plugins first (repeatable).")
  var pluginFolders: [String] = []

  var catalog: PluginCatalog { PluginCatalog.load(PluginSearchPath.standard(commandLine: pluginFolders)) }

  /// The config checked against the host's sections and the plugins' option lists.
  func resolve(_ catalog: PluginCatalog) throws(ConfigError) -> RunConfig {
    try RunConfig.load(
      file: config, catalog: catalog, overrides: .init(settings: settings.values, data: data))
  }
}
