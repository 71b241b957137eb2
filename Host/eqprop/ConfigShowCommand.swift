import ArgumentParser
import EqpropHost

/// `eqprop config show CONFIG`: the config as a run would use it.
struct ConfigShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print the resolved config: every key, the plugins' defaults and --set values included.",
    discussion: """
      The text is what `train` saves as the run folder's config.yaml, so it can be run as it \
      is. A misspelt key or an impossible value is refused with its path.
      """)

  @OptionGroup var input: ConfigInput

  @Flag(help: "Print JSON (keys in the config's order) instead of YAML.")
  var json = false

  func run() throws {
    let config: RunConfig
    do {
      config = try input.resolve(input.plugins.catalog)
    } catch {
      throw ValidationError(error.message)
    }
    print(json ? config.resolved.jsonText : config.resolvedText, terminator: json ? "\n" : "")
  }
}
