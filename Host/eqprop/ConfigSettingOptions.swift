import ArgumentParser
import EqpropHost

/// `--set KEY=VALUE`, repeatable: config values given on the command line, so a sweep needs
/// no edited copies of a file. Shared by every command that reads a config.
struct ConfigSettingOptions: ParsableArguments {
  @Option(
    name: .customLong("set"),
    help: ArgumentHelp(
      "Replace or add a config value, as YAML: learner.beta=0.2, optimizer.lr=[0.1,0.05], "
        + "model.layers[1]=64 (repeatable; checked like the file).",
      valueName: "key=value"),
    transform: { argument in try ConfigSetting(parsing: argument) })
  var values: [ConfigSetting] = []
}
