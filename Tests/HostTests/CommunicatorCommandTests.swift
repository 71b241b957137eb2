import Foundation
import TestSupport
import XCTest

/// `eqprop communicator` under no launcher and under Open MPI's mpirun. CI installs
/// openmpi-bin (scripts/install-packages), so a missing mpirun fails these tests, never skips
/// them.
final class CommunicatorCommandTests: XCTestCase {
  private var eqprop: String { RepositoryPaths.binaryFolder + "/eqprop" }
  private var singleThread: [String: String] {
    ProcessInfo.processInfo.environment.merging(["EQPROP_THREADS": "1"]) { $1 }
  }

  func testWithoutALauncherItIsASingleProcess() throws {
    let result = try ProcessRunner.run(eqprop, ["communicator"], environment: singleThread)
    XCTAssertEqual(result.status, 0, result.standardError)
    XCTAssertEqual(
      result.standardOutput,
      "1 rank (single process): allreduce_sum, broadcast, allgather, barrier agree\n")
  }

  func testTwoRanksUnderMpirunAgree() throws {
    let result = try MPIRun.eqprop(["communicator"], ranks: 2)
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
    let result = try MPIRun.eqprop(["communicator", "--plugins", folder], ranks: 3)
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    XCTAssertTrue(result.standardOutput.hasPrefix("3 ranks over "), result.standardOutput)
  }

  func testNoneUnderMpirunRunsEachRankAlone() throws {
    let result = try MPIRun.eqprop(["communicator", "--communicator", "none"], ranks: 2)
    XCTAssertEqual(result.status, 0, result.standardError + result.standardOutput)
    XCTAssertEqual(
      result.standardOutput.split(separator: "\n"),
      Array(repeating: "1 rank (single process): allreduce_sum, broadcast, allgather, barrier agree", count: 2))
  }

  func testUnknownChoiceIsAUsageError() throws {
    let result = try ProcessRunner.run(eqprop, ["communicator", "--communicator", "Open/MPI"], environment: singleThread)
    XCTAssertEqual(result.status, 64, result.standardError)
    XCTAssertTrue(result.standardError.contains("'Open/MPI' is neither auto, none nor a plugin id"), result.standardError)
  }
}
