import Foundation
import TestSupport
import XCTest

/// `eqprop communicator` under no launcher and under Open MPI's mpirun. CI installs
/// openmpi-bin (scripts/install-packages), so a missing mpirun fails these tests, never skips
/// them.
final class CommunicatorCommandTests: XCTestCase {
  private var eqprop: String { RepositoryPaths.binaryFolder + "/eqprop" }

  func testWithoutALauncherItIsASingleProcess() throws {
    let result = try ProcessRunner.run(eqprop, ["communicator"], environment: environment)
    XCTAssertEqual(result.status, 0, result.standardError)
    XCTAssertEqual(
      result.standardOutput,
      "1 rank (single process): allreduce_sum, broadcast, allgather, barrier agree\n")
  }

  func testTwoRanksUnderMpirunAgree() throws {
    let result = try mpirun(ranks: 2, ["communicator"])
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    // Rank 0 alone prints.
    let lines = result.standardOutput.split(separator: "\n")
    XCTAssertEqual(lines.count, 1, result.standardOutput)
    XCTAssertTrue(lines.first?.hasPrefix("2 ranks over Open MPI v") == true, result.standardOutput)
    XCTAssertTrue(
      lines.first?.hasSuffix(": allreduce_sum, broadcast, allgather, barrier agree") == true,
      result.standardOutput)
  }

  /// Three ranks take the reduce-then-broadcast path, and a plugin built (as a cluster would,
  /// with pkg-config's flags) to move at most 1000 elements per MPI call splits every large
  /// buffer into chunks.
  func testThreeRanksWithSmallChunksAgree() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let flags = try ProcessRunner.run("/usr/bin/env", ["pkg-config", "--cflags", "--libs", "ompi-c"])
    XCTAssertEqual(flags.status, 0, "pkg-config ompi-c: \(flags.standardError); run scripts/install-packages")
    try CPluginBuilder.mpiCommunicator(
      ["EQP_MPI_CHUNK=1000"],
      flags: flags.standardOutput.split(whereSeparator: \.isWhitespace).map(String.init),
      into: folder)
    let result = try mpirun(ranks: 3, ["communicator", "--plugins", folder])
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    XCTAssertTrue(result.standardOutput.hasPrefix("3 ranks over "), result.standardOutput)
  }

  func testNoneUnderMpirunRunsEachRankAlone() throws {
    let result = try mpirun(ranks: 2, ["communicator", "--communicator", "none"])
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    XCTAssertEqual(
      result.standardOutput.split(separator: "\n"),
      Array(repeating: "1 rank (single process): allreduce_sum, broadcast, allgather, barrier agree", count: 2))
  }

  func testUnknownChoiceIsAUsageError() throws {
    let result = try ProcessRunner.run(eqprop, ["communicator", "--communicator", "Open/MPI"], environment: environment)
    XCTAssertEqual(result.status, 64, result.standardError)
    XCTAssertTrue(result.standardError.contains("'Open/MPI' is neither auto, none nor a plugin id"), result.standardError)
  }

  // MARK: Running

  private var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["EQPROP_THREADS"] = "1"
    return environment
  }

  /// `mpirun -np ranks eqprop arguments`, as root if need be, on more ranks than cores.
  private func mpirun(ranks: Int, _ arguments: [String]) throws -> ProcessRunner.Result {
    let path = (environment["PATH"] ?? "").split(separator: ":")
    guard let mpirun = path.map({ "\($0)/mpirun" }).first(where: FileManager.default.isExecutableFile)
    else {
      throw MissingProgram(
        "mpirun is not on PATH (\(path.joined(separator: ":"))): run scripts/install-packages, "
          + "which installs openmpi-bin")
    }
    // Open MPI keeps what MPI_Init allocates (its op tables, its components' state) past
    // MPI_Finalize, so under scripts/sanitize LeakSanitizer reports it in every rank. Those
    // leaks are not eqprop's, whose own are checked by the runs without mpirun.
    var environment = environment
    if let options = environment["ASAN_OPTIONS"] {
      environment["ASAN_OPTIONS"] = options + ":detect_leaks=0"
    }
    return try ProcessRunner.run(
      mpirun,
      ["--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)", eqprop] + arguments,
      environment: environment)
  }
}

/// A program the tests need is not installed; thrown, so the test fails with the sentence.
private struct MissingProgram: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
