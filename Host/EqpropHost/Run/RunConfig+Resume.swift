import Foundation

extension RunConfig {
  /// The config a resumed run trains under: the run's own `config.yaml`, or the config in
  /// `file` when it differs from the run's only in `resumableKeys`. `overrides` (the command
  /// line's) apply to both.
  public static func forResuming(
    _ folder: String, given file: String?, catalog: PluginCatalog, overrides: Overrides
  ) throws(ConfigError) -> RunConfig {
    let savedPath = folder + "/" + RunFolder.configName
    guard FileManager.default.fileExists(atPath: savedPath) else {
      throw ConfigError(
        "\(folder): has no \(RunFolder.configName), so it holds no run to resume; give the folder "
          + "`eqprop train` wrote (runs/NAME or its --out)")
    }
    let saved = try load(file: savedPath, catalog: catalog, overrides: overrides)
    guard let file else { return saved }
    let given = try load(file: file, catalog: catalog, overrides: overrides)
    if let difference = given.identityDifference(from: saved) {
      throw ConfigError(
        "\(file): \(difference.path) is \(difference.mine), but the run in \(folder) has \(difference.theirs) "
          + "(\(savedPath)); a resumed run keeps its config, except "
          + resumableKeys.joined(separator: ", ")
          + "; train into another folder with --out to change it")
    }
    return given
  }
}
