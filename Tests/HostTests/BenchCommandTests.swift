import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// `eqprop bench` runs and reports every shape with its machine; the figures themselves are
/// measurements, not checked here (the kernel's GEMM results are, in KernelTests).
final class BenchCommandTests: XCTestCase {
  func testBenchReportsEveryShapeAsJSON() throws {
    let result = try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop",
      ["bench", "--section", "kernel", "--repeats", "1", "--seconds", "0.002", "--json"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let machine = try XCTUnwrap(json["machine"] as? [String: Any])
    XCTAssertGreaterThanOrEqual(machine["cores"] as? Int ?? 0, 1)
    XCTAssertGreaterThan(json["square_sgemm_peak_gflops"] as? Double ?? 0, 0)
    let rows = try XCTUnwrap(json["kernel_gemm"] as? [[String: Any]])
    XCTAssertEqual(rows.count, 22, "7 dense and 4 conv shapes at batch 20 and 128")
    for row in rows {
      XCTAssertGreaterThan(row["kernel_gflops"] as? Double ?? 0, 0, "\(row)")
      XCTAssertGreaterThan(row["raw_gflops"] as? Double ?? 0, 0, "\(row)")
    }
  }

  /// Issue 6's memory rule: EP holds the same few state sets whatever T is, BPTT its window,
  /// full BPTT one state set per step (so it grows by exactly one set per extra step).
  func testEPMemoryIsFlatInTAndBPTTGrowsWithItsWindowOnly() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let rows = try MemoryBench().run(freeSteps: [15, 30, 60], catalog: catalog)
    func bytes(_ learner: String) -> [Int] { rows.filter { $0.learner == learner }.map(\.bytes) }
    XCTAssertEqual(Set(bytes("ep")).count, 1, "\(bytes("ep"))")
    XCTAssertEqual(Set(bytes("bptt window 11")).count, 1, "\(bytes("bptt window 11"))")
    let full = bytes("bptt full")
    let stateSet = 20 * (10 + 512) * 4
    XCTAssertEqual(full[1] - full[0], 15 * stateSet, "\(full)")
    XCTAssertEqual(full[2] - full[1], 30 * stateSet, "\(full)")
    XCTAssertLessThan(bytes("ep")[0], bytes("bptt window 11")[0])
  }

  /// The dynamics section runs a network's steps and reports rates from them (not checked:
  /// they are measurements); the flop count of a dense step is 4·Σ n_l n_{l+1} an example.
  func testDynamicsSectionTimesSteps() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let network = DynamicsBench.dense("tiny", [3, 5, 4, 6])
    XCTAssertEqual(network.flopsPerExample, 4 * (3 * 5 + 5 * 4))
    let rows = try DynamicsBench(repeats: 1, minimum: 0.001).run([network], batches: [2], catalog: catalog)
    XCTAssertEqual(rows.count, 1)
    XCTAssertGreaterThan(rows[0].stepsPerSecond, 0)
    XCTAssertEqual(rows[0].gflops, network.flopsPerExample * 2 * rows[0].stepsPerSecond / 1e9, accuracy: 1e-9)
  }

  /// --train times a config in child processes, --repeats times, and reports the median row
  /// with a projection and the spread.
  func testTrainingRowsComeFromAChildProcess() throws {
    let folder = try CPluginBuilder.temporaryFolder("eqprop-bench")
    let path = folder + "/tiny.yaml"
    try """
      model: {id: dense, layers: [3, 5, 6]}
      dynamics: {id: discrete, free_steps: 4}
      learner: {id: ep, nudged_steps: 2, beta: 0.5}
      optimizer: {lr: [0.1, 0.1]}
      training: {batch_size: 4}
      """.write(toFile: path, atomically: true, encoding: .utf8)
    let result = try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop", ["bench", "--train", path, "--batches", "2", "--repeats", "3", "--json"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let rows = try XCTUnwrap(json["training"] as? [[String: Any]])
    XCTAssertEqual(rows.count, 1)
    XCTAssertEqual(rows[0]["config"] as? String, "tiny.yaml")
    XCTAssertEqual(rows[0]["batch_size"] as? Int, 4)
    let perBatch = try XCTUnwrap(rows[0]["seconds_per_batch"] as? Double)
    let perEpoch = try XCTUnwrap(rows[0]["projected_seconds_per_epoch"] as? Double)
    XCTAssertEqual(perEpoch, perBatch * 60_000 / 4, accuracy: 1e-9 * perEpoch)
    XCTAssertGreaterThan(rows[0]["peak_resident_bytes"] as? Int ?? 0, 1_000_000)
    XCTAssertEqual(rows[0]["runs"] as? Int, 3)
    let fastest = try XCTUnwrap(rows[0]["fastest_seconds_per_epoch"] as? Double)
    let slowest = try XCTUnwrap(rows[0]["slowest_seconds_per_epoch"] as? Double)
    XCTAssert(fastest <= perEpoch && perEpoch <= slowest, "the median lies within the spread")
    XCTAssertNil(json["kernel_gemm"], "only the asked-for rows")
  }

  func testBenchRefusesAnImpossibleRepeatCount() throws {
    let result = try ProcessRunner.run(RepositoryPaths.binaryFolder + "/eqprop", ["bench", "--repeats", "0"])
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.standardError.contains("--repeats must be at least 1, found 0"), result.standardError)
  }
}
