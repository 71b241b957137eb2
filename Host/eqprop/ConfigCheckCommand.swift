import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop config check CONFIG`: would this config start a run?
struct ConfigCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a config: its keys and values, then the plugins' own checks as they start.",
    discussion: """
      Resolves the config as `train` would and creates the model, dynamics and learner with θ \
      and the optimizer (which refuses, for example, a learning-rate list of the wrong length). \
      The data is not read. Prints "CONFIG: ok", or the problem on stderr and exits 1.
      """)

  @OptionGroup var input: ConfigInput

  func run() throws {
    let config: RunConfig
    do {
      config = try input.resolve(input.plugins.catalog)
    } catch {
      return try fail(error.message)
    }
    do {
      _ = try TrainingSession(config: config, trainingExamples: 0)
    } catch {
      return try fail(error.message)
    }
    print("\(input.config): ok")
  }

  private func fail(_ message: String) throws {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    throw ExitCode(1)
  }
}
