import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop call PLUGIN FUNCTION [ARGS…]`: one call of a plugin's extension function.
struct CallCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "call",
    abstract: "Call a plugin's extension function through libffi and print its result.",
    discussion: """
      ARGS fill the signature's i l f d s t letters in order (integers, numbers, strings, and \
      for t the name of a θ tensor); the host supplies p (the plugin's instance), P (θ) and e \
      (its error sink). A function taking p, P or t needs --config, which builds the session \
      (θ initialised from the seed, or read from --weights). `eqprop plugins --json` lists \
      every function with its signature.
      """)

  @Argument(help: "The plugin's id, or kind:id (model:dense) when two kinds share the id.")
  var plugin: String

  @Argument(help: "The extension function's name.")
  var function: String

  @Option(help: "A YAML config whose model, dynamics or learner is the plugin (for p, P, t).")
  var config: String?

  @Option(help: "A weights.safetensors to load into θ (with --config).")
  var weights: String?

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  @Flag(help: "Print JSON.")
  var json = false

  // Last, and collecting unrecognised words, so that negative numbers ("-1") are values.
  @Argument(parsing: .allUnrecognized, help: "The function's arguments, by its signature.")
  var arguments: [String] = []

  func validate() throws {
    if weights != nil, config == nil { throw ValidationError("--weights needs --config") }
  }

  func run() throws {
    let catalog = plugins.catalog
    let request: CallRequest
    do {
      request = try CallRequest(
        catalog: catalog, plugin: plugin, function: function, arguments: arguments)
    } catch {
      throw ValidationError(error.message)
    }
    var session: TrainingSession?
    if request.needsSession {
      guard let config else {
        throw ValidationError(
          "\(plugin).\(function) has signature \(request.function.signature): p, P and t need a "
            + "session; give --config CONFIG")
      }
      let runConfig: RunConfig
      do {
        runConfig = try RunConfig.load(file: config, catalog: catalog)
      } catch {
        throw ValidationError(error.message)
      }
      session = try fail { () throws(PluginFailure) in
        let made = try TrainingSession(config: runConfig, trainingExamples: 0)
        if let weights { try RunFolder.loadWeights(weights, into: made) }
        return made
      }
    }
    let result = try fail { () throws(PluginFailure) in try request.run(session: session) }
    if json {
      print(request.json(result))
    } else if result != .void {
      print(result)
    }
  }

  /// Runs `body`; a plugin failure is printed on stderr and exits 1.
  private func fail<T>(_ body: () throws(PluginFailure) -> T) throws -> T {
    do {
      return try body()
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
  }
}
