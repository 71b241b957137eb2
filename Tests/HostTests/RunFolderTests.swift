@preconcurrency import Glibc
import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// A run folder belongs to one run: locked while it trains, never trained over, resumed only
/// under its own config; it holds what the README says, and `eval` reads any of its weights.
final class RunFolderTests: XCTestCase {
  func testAFolderInUseIsRefusedNamingItAndItsHolder() throws {
    let run = try TinyRun()
    let folder = run.path("busy")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // This process holds the lock, as a running `eqprop train` would.
    let descriptor = open(folder + "/.lock", O_RDWR | O_CREAT, 0o644)
    defer { close(descriptor) }
    XCTAssertEqual(flock(descriptor, LOCK_EX | LOCK_NB), 0)
    let pid = Array("\(getpid())\n".utf8)
    XCTAssertEqual(pid.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, pid.count)
    let refused = try run.train("busy")
    XCTAssertEqual(refused.status, 1)
    XCTAssertTrue(
      refused.standardError.contains(
        "\(folder) is in use by another eqprop train (pid \(getpid()))"),
      refused.standardError)
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + RunFolder.manifestName))
  }

  func testAFolderHoldingARunIsNotTrainedOver() throws {
    let run = try TinyRun()
    XCTAssertEqual(try run.train("done", ["--epochs", "1"]).status, 0)
    let before = try run.weights("done")
    let again = try run.train("done", ["--epochs", "1", "--seed", "9"])
    XCTAssertEqual(again.status, 1)
    XCTAssertTrue(
      again.standardError.contains("\(run.path("done")) already holds a run"), again.standardError)
    XCTAssertTrue(
      again.standardError.contains("eqprop train --resume \(run.path("done"))"), again.standardError
    )
    XCTAssertTrue(again.standardError.contains("--out"), again.standardError)
    XCTAssertEqual(try run.weights("done"), before)
  }

  func testResumingUnderAnotherConfigIsRefusedNamingTheKey() throws {
    let run = try TinyRun()
    XCTAssertEqual(
      try run.train("killed", ["--exit-after-batches", "5", "--checkpoint-every", "5"]).status,
      RunOptions.exitStatus)
    let other = run.folder + "/other.yaml"
    try TinyRun.config.replacingOccurrences(of: "beta: 0.5", with: "beta: 0.25")
      .write(toFile: other, atomically: true, encoding: .utf8)
    let refused = try run.eqprop(["train", other, "--resume", run.path("killed")])
    XCTAssertNotEqual(refused.status, 0)
    XCTAssertTrue(
      refused.standardError.contains(
        "\(other): learner.beta is 0.25, but the run in \(run.path("killed")) has 0.5"),
      refused.standardError)
    // The config it was started from resumes it; so does one asking for more epochs.
    let longer = run.folder + "/longer.yaml"
    try TinyRun.config.replacingOccurrences(of: "epochs: 3", with: "epochs: 4")
      .write(toFile: longer, atomically: true, encoding: .utf8)
    let resumed = try run.eqprop(["train", longer, "--resume", run.path("killed")])
    XCTAssertEqual(resumed.status, 0, resumed.standardError)
    XCTAssertEqual(try run.metrics("killed").filter { $0["kind"] as? String == "epoch" }.count, 4)
  }

  func testAnEditedConfigIsRefusedByTheCheckpoint() throws {
    let run = try TinyRun()
    XCTAssertEqual(
      try run.train("killed", ["--exit-after-batches", "20"]).status, RunOptions.exitStatus)
    let saved = run.path("killed") + "/" + RunFolder.configName
    let text = try String(contentsOfFile: saved, encoding: .utf8)
    try text.replacingOccurrences(of: "beta: 0.5", with: "beta: 0.25").write(
      toFile: saved, atomically: true, encoding: .utf8)
    let refused = try run.resume("killed")
    XCTAssertEqual(refused.status, 1)
    XCTAssertTrue(
      refused.standardError.contains("checkpoint.json was written under another config"),
      refused.standardError)
  }

  func testBestKeepsTheEpochOfLowestTestError() throws {
    let run = try TinyRun()
    let result = try run.train("best", ["--best"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let epochs = try run.metrics("best").filter { $0["kind"] as? String == "epoch" }
    let errors = epochs.compactMap { $0["test_error"] as? Double }
    let lowest = try XCTUnwrap(errors.min())
    let record = try run.checkpoint("best", slot: "best")
    XCTAssertEqual(record.testError, lowest)
    XCTAssertEqual(record.progress.epochsDone, (errors.firstIndex(of: lowest) ?? -1) + 1)
    XCTAssertTrue(FileManager.default.fileExists(atPath: run.path("best") + "/" + record.tensors))
    // Only the best file remains of its slot.
    let files = try FileManager.default.contentsOfDirectory(atPath: run.path("best"))
    XCTAssertEqual(files.filter { $0.hasPrefix("best-") }, [record.tensors])
    let evaluated = try run.eqprop(["eval", run.path("best") + "/best.json", "--json"])
    XCTAssertEqual(evaluated.status, 0, evaluated.standardError)
    let json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(evaluated.standardOutput.utf8)) as? [String: Any])
    XCTAssertEqual(json["test_error"] as? Double, lowest)
  }

  func testTheFolderHoldsItsFilesAndEvalReadsEach() throws {
    let run = try TinyRun()
    XCTAssertEqual(try run.train("all", ["--checkpoint-every", "7"]).status, 0)
    let folder = run.path("all")
    let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    XCTAssertEqual(
      files,
      [
        ".lock", "config.yaml", "run.json", "metrics.jsonl", "checkpoint.json",
        "checkpoint-e3-b0.safetensors",
        "weights.safetensors", "plots",
      ])
    // The figures are drawn at the end of training, as `eqprop plot` draws them.
    let plots = Set(try FileManager.default.contentsOfDirectory(atPath: folder + "/plots"))
    XCTAssertTrue(plots.isSuperset(of: ["error.svg", "loss.svg", "updates.svg"]), "\(plots)")
    let manifest = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: folder + "/run.json"))) as? [String: Any])
    XCTAssertEqual(manifest["eqprop_version"] as? String, EqpropVersion.current)
    XCTAssertEqual(manifest["seed"] as? Int, 3)
    XCTAssertEqual((manifest["command_line"] as? [String])?.suffix(2), ["--checkpoint-every", "7"])
    XCTAssertNotNil((manifest["machine"] as? [String: Any])?["cpu"])
    let plugins = try XCTUnwrap(manifest["plugins"] as? [[String: Any]])
    XCTAssertEqual(plugins.compactMap { $0["id"] as? String }, ["dense", "discrete", "ep"])
    for plugin in plugins {
      let library = try XCTUnwrap(plugin["library"] as? String)
      let sha = try ProcessRunner.run("/usr/bin/env", ["sha256sum", library]).standardOutput.prefix(
        64)
      XCTAssertEqual(plugin["sha256"] as? String, String(sha))
    }
    let record = try run.checkpoint("all")
    XCTAssertEqual(record.configSHA256.count, 64)
    // The final weights are the last checkpoint's θ.
    let last = try SafetensorsFile.read(folder + "/" + record.tensors)
    for tensor in try run.weights("all") { XCTAssertEqual(last[tensor.name]?.bytes, tensor.bytes) }
    var errors: [Double] = []
    for target in [
      folder, folder + "/checkpoint.json", folder + "/" + record.tensors,
      folder + "/weights.safetensors",
    ] {
      let result = try run.eqprop(["eval", target, "--json"])
      XCTAssertEqual(result.status, 0, result.standardError)
      let json = try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
      errors += [try XCTUnwrap(json["test_error"] as? Double)]
    }
    XCTAssertEqual(Set(errors).count, 1, "\(errors)")
    XCTAssertEqual(errors.first, try run.metrics("all").last?["test_error"] as? Double)
  }

  func testQuietPrintsOnlyTheSummary() throws {
    let run = try TinyRun()
    let result = try run.train("quiet", ["--quiet", "--epochs", "1", "--log-every", "2"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let lines = result.standardError.split(separator: "\n")
    XCTAssertEqual(lines.count, 1, result.standardError)
    XCTAssertTrue(lines.first?.hasPrefix("test_error ") ?? false, result.standardError)
  }
}
