import ArgumentParser
import EqpropHost

/// The `eqprop` command: subcommands only; the work happens in EqpropHost.
@main
struct Eqprop: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eqprop",
    abstract: "Equilibrium Propagation research host: loads model, dynamics and learner plugins.",
    version: EqpropVersion.current,
    subcommands: [
      TrainCommand.self, SweepCommand.self, EvalCommand.self, PlotCommand.self, CheckCommand.self,
      ConfigCommand.self, CallCommand.self, BenchCommand.self, PluginsCommand.self,
      CommunicatorCommand.self,
    ])
}
