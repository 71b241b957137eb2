import ArgumentParser
import EqpropHost

/// How a command joins the other processes of a launch: shared by `train`, `sweep` and
/// `communicator`.
struct CommunicatorOptions: ParsableArguments {
  @Option(
    name: .customLong("communicator"),
    help: ArgumentHelp(
      """
      auto: the 'mpi' communicator plugin when mpirun or srun started eqprop, else a single \
      process; none: a single process even under a launcher (each rank alone); or the id of \
      a communicator plugin.
      """, valueName: "auto|none|ID"))
  var text = "auto"

  func validate() throws {
    guard CommunicatorChoice(text) != nil else {
      throw ValidationError(
        "--communicator: '\(text)' is neither auto, none nor a plugin id ([a-z0-9_-]+)")
    }
  }

  /// The choice; `validate` has refused anything unparseable, which would read as auto.
  var choice: CommunicatorChoice { CommunicatorChoice(text) ?? .automatic }
}
