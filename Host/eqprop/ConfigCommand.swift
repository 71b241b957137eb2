import ArgumentParser

/// `eqprop config`: configs without training.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Show or check a config, every default filled in.",
    subcommands: [ConfigShowCommand.self, ConfigCheckCommand.self])
}
