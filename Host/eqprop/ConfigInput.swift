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

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  /// The config checked against the host's sections and the plugins' option lists.
  func resolve(_ catalog: PluginCatalog) throws(ConfigError) -> RunConfig {
    try RunConfig.load(
      file: config, catalog: catalog, overrides: .init(settings: settings.values, data: data))
  }
}
