import Foundation

/// Opens the communicator a command asked for.
public enum Communicators {
  /// The plugin `automatic` opens under a launcher.
  public static let mpiPluginID = "mpi"

  /// `automatic`: the `mpi` plugin when `environment` shows a launcher, else `SingleProcess`
  /// (MPI is then never initialised). `singleProcess`: `SingleProcess` even under a launcher.
  /// `plugin(id)`: that communicator plugin. A launcher without a working `mpi` plugin is an
  /// error saying what was detected and what to do, not a silent job of independent ranks.
  public static func open(
    _ choice: CommunicatorChoice, catalog: PluginCatalog,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(PluginFailure) -> any Communicator {
    switch choice {
    case .singleProcess:
      return SingleProcess()
    case .plugin(let id):
      return try PluginCommunicator(catalog.find(.communicator, id: id))
    case .automatic:
      guard let launcher = Launcher.detect(in: environment) else { return SingleProcess() }
      let alone = "pass --communicator none to run each rank as a separate single process"
      let plugin: PluginRecord
      do {
        plugin = try catalog.find(.communicator, id: mpiPluginID)
      } catch {
        throw PluginFailure(
          "\(launcher), but \(error.message): build eqprop where MPI's headers are installed "
            + "(scripts/install-packages installs libopenmpi-dev), or \(alone)")
      }
      do {
        return try PluginCommunicator(plugin)
      } catch {
        throw PluginFailure(
          "\(launcher), but the '\(mpiPluginID)' communicator could not join its job: "
            + "\(error.message); or \(alone)")
      }
    }
  }
}
