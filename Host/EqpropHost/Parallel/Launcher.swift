/// The launcher that started this process, as its environment shows it: every MPI launcher
/// sets variables its MPI library reads in MPI_Init.
public struct Launcher: Equatable, Sendable, CustomStringConvertible {
  /// The variable found, e.g. `OMPI_COMM_WORLD_SIZE`.
  public var variable: String
  public var value: String
  /// Who sets it, for messages.
  public var name: String

  /// Checked in this order: Open MPI's mpirun sets both its own and PMIx's variables, and the
  /// more specific name makes the better message.
  static let known: [(variable: String, name: String)] = [
    ("OMPI_COMM_WORLD_SIZE", "Open MPI's mpirun"),
    ("PMIX_RANK", "a PMIx launcher (Open MPI, Slurm's srun --mpi=pmix)"),
    ("PMI_SIZE", "a PMI launcher (Slurm's srun --mpi=pmi2, MPICH)"),
    ("PMI_RANK", "MPICH's hydra (mpiexec)"),
  ]

  /// The launcher `environment` shows, or nil when the process was started alone.
  public static func detect(in environment: [String: String]) -> Launcher? {
    for (variable, name) in known {
      if let value = environment[variable] {
        return Launcher(variable: variable, value: value, name: name)
      }
    }
    return nil
  }

  /// "OMPI_COMM_WORLD_SIZE=2 is set: Open MPI's mpirun started this process".
  public var description: String { "\(variable)=\(value) is set: \(name) started this process" }
}
