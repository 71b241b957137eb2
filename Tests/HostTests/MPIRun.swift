import Foundation
import TestSupport
import XCTest

/// `mpirun -np N eqprop ...` on this machine, as CI runs it: as root if need be, more ranks
/// than cores allowed, one kernel thread per rank, and a time limit so that a rank left
/// waiting in a collective fails the test instead of hanging it.
enum MPIRun {
  static let launcher = "/usr/bin/mpirun"

  /// `eqprop ARGUMENTS` on `ranks` ranks.
  static func eqprop(_ arguments: [String], ranks: Int) throws -> ProcessRunner.Result {
    guard FileManager.default.isExecutableFile(atPath: launcher) else {
      XCTFail("\(launcher) is missing: scripts/install-packages installs openmpi-bin")
      throw CocoaError(.fileNoSuchFile)
    }
    var environment = ProcessInfo.processInfo.environment
    environment["EQPROP_THREADS"] = "1"
    let options = [
      "--allow-run-as-root", "--oversubscribe", "--timeout", "300", "-np", "\(ranks)",
    ]
    return try ProcessRunner.run(
      launcher, options + [RepositoryPaths.binaryFolder + "/eqprop"] + arguments,
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
}
