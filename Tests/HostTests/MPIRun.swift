import Foundation
import TestSupport
import XCTest

/// `mpirun -np N eqprop ...` on this machine, as CI runs it: as root if need be, more ranks
/// than cores allowed, one kernel thread per rank, and a time limit so that a rank left
/// waiting in a collective fails the test instead of hanging it. CI installs openmpi-bin
/// (scripts/install-packages), so a missing mpirun fails the tests, never skips them.
enum MPIRun {
  /// `eqprop ARGUMENTS` on `ranks` ranks.
  static func eqprop(_ arguments: [String], ranks: Int) throws -> ProcessRunner.Result {
    var environment = ProcessInfo.processInfo.environment
    environment["EQPROP_THREADS"] = "1"
    // Open MPI's single-copy transfers read the other rank's memory with ptrace rights a
    // container may not grant; copying through shared memory works everywhere.
    environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
    // Open MPI keeps what MPI_Init allocates (its op tables, its components' state) past
    // MPI_Finalize, so under scripts/sanitize LeakSanitizer reports it in every rank. Those
    // leaks are not eqprop's, whose own are checked by the runs without mpirun.
    if let options = environment["ASAN_OPTIONS"] {
      environment["ASAN_OPTIONS"] = options + ":detect_leaks=0"
    }
    let options = [
      "--allow-run-as-root", "--oversubscribe", "--timeout", "300", "-np", "\(ranks)",
    ]
    return try ProcessRunner.run(
      try launcher(environment), options + [RepositoryPaths.binaryFolder + "/eqprop"] + arguments,
      environment: environment)
  }

  /// `eqprop train` of `run`'s config into its run folder `name`.
  static func train(_ run: TinyRun, _ name: String, ranks: Int, _ extra: [String] = []) throws
    -> ProcessRunner.Result
  {
    try eqprop(["train", run.configPath, "--out", run.path(name)] + extra, ranks: ranks)
  }

  /// `eqprop train --resume` of `run`'s folder `name`.
  static func resume(_ run: TinyRun, _ name: String, ranks: Int) throws -> ProcessRunner.Result {
    try eqprop(["train", "--resume", run.path(name)], ranks: ranks)
  }

  /// mpirun on PATH, or the error that says how to install it.
  private static func launcher(_ environment: [String: String]) throws -> String {
    let path = (environment["PATH"] ?? "").split(separator: ":")
    guard let mpirun = path.map({ "\($0)/mpirun" }).first(where: FileManager.default.isExecutableFile)
    else {
      throw MissingProgram(
        "mpirun is not on PATH (\(path.joined(separator: ":"))): run scripts/install-packages, "
          + "which installs openmpi-bin")
    }
    return mpirun
  }
}

/// A program the tests need is not installed; thrown, so the test fails with the sentence.
struct MissingProgram: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
