@preconcurrency import Glibc
import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// A run killed and resumed ends with the very weights, bit for bit, and the very
/// metrics.jsonl lines (the clock's aside) of a run never interrupted.
final class RunResumeTests: XCTestCase {
  func testKilledBetweenEpochsResumesToTheSameWeights() throws {
    let run = try TinyRun()
    XCTAssertEqual(try run.train("whole").status, 0)
    // Batch 20 ends epoch 1: the process dies right after the epoch's checkpoint.
    let killed = try run.train("killed", ["--exit-after-batches", "20"])
    XCTAssertEqual(killed.status, RunOptions.exitStatus, killed.standardError)
    let record = try run.checkpoint("killed")
    XCTAssertEqual(record.progress.epochsDone, 1)
    XCTAssertEqual(record.progress.batchesDone, 0)
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: run.path("killed") + "/" + RunFolder.weightsName))
    let resumed = try run.resume("killed")
    XCTAssertEqual(resumed.status, 0, resumed.standardError)
    XCTAssertTrue(
      resumed.standardError.contains("resuming after 1 epochs and 0 batches"), resumed.standardError
    )
    try run.assertSameRun("killed", as: "whole")
  }

  func testKilledMidEpochResumesToTheSameWeightsAndLines() throws {
    let run = try TinyRun()
    XCTAssertEqual(try run.train("whole", ["--log-every", "2"]).status, 0)
    // Checkpoints after batches 5, 10 and 15 of each epoch; the process dies after batch 7
    // of epoch 2, so it wrote two batches lines (batch 6) and trained two batches that the
    // resumed run must take back and train again.
    let killed = try run.train(
      "killed", ["--log-every", "2", "--checkpoint-every", "5", "--exit-after-batches", "27"])
    XCTAssertEqual(killed.status, RunOptions.exitStatus, killed.standardError)
    let record = try run.checkpoint("killed")
    XCTAssertEqual(record.progress.epochsDone, 1)
    XCTAssertEqual(record.progress.batchesDone, 5)
    XCTAssertEqual(record.progress.epoch.batches, 5)
    XCTAssertEqual(try run.metrics("killed").last?["batch"] as? Int, 6)
    let resumed = try run.resume("killed")
    XCTAssertEqual(resumed.status, 0, resumed.standardError)
    try run.assertSameRun("killed", as: "whole")
    // The resumed run kept checkpointing every 5 batches, as run.json recorded.
    let manifest = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: run.path("killed") + "/run.json")))
        as? [String: Any])
    let resumptions = try XCTUnwrap(manifest["resumed"] as? [[String: Any]])
    XCTAssertEqual(resumptions.first?["checkpoint_every"] as? Int, 5)
    XCTAssertEqual(resumptions.first?["from_batches_done"] as? Int, 5)
  }

  /// A real SIGKILL from outside, in the middle of a batch's relaxation: batches of 5 000
  /// free steps take a quarter of a second, and the kill comes 50 ms after batch 2's
  /// checkpoint appears.
  func testSIGKILLMidBatchResumesToTheSameWeights() throws {
    let run = try TinyRun(
      config: TinyRun.config.replacingOccurrences(of: "train_limit: 400", with: "train_limit: 100")
        .replacingOccurrences(of: "free_steps: 5", with: "free_steps: 5000")
        .replacingOccurrences(of: "epochs: 3", with: "epochs: 1"))
    XCTAssertEqual(try run.train("whole").status, 0)
    let (process, log) = try run.start("killed", ["--checkpoint-every", "1"])
    let seen = run.waitForCheckpoint("killed", of: process) { $0.progress.batchesDone == 2 }
    usleep(50_000)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    XCTAssertEqual(
      process.terminationReason, .uncaughtSignal, "the run ended before it was killed: \(stderr)")
    XCTAssertNotNil(seen)
    // Batch 3 had not ended: its checkpoint was never written.
    XCTAssertEqual(try run.checkpoint("killed").progress.batchesDone, 2)
    let resumed = try run.resume("killed")
    XCTAssertEqual(resumed.status, 0, resumed.standardError)
    XCTAssertTrue(
      resumed.standardError.contains("resuming after 0 epochs and 2 batches"),
      resumed.standardError)
    try run.assertSameRun("killed", as: "whole")
  }

  /// `--kill-at` crashes the run with SIGKILL at known points: once batch 7 is trained but
  /// not yet recorded, and at each step of writing the checkpoint after batch 10 (the
  /// second). The resume starts from the last complete checkpoint, named by the sidecar on
  /// disk, removes what the crash left half-written, and ends bit-identical.
  func testSIGKILLAtEachPointResumesFromTheLastCompleteCheckpoint() throws {
    let run = try TinyRun()
    XCTAssertEqual(try run.train("whole").status, 0)
    let points: [(point: String, resumesAfter: Int)] =
      [("batch:7", 5)]
      + CheckpointStep.allCases.map {
        ("checkpoint:2:\($0.rawValue)", $0 == .sidecarRenamed ? 10 : 5)
      }
    for (point, resumesAfter) in points {
      let name = "killed-" + point.replacingOccurrences(of: ":", with: "-")
      let killed = try run.train(name, ["--checkpoint-every", "5", "--kill-at", point])
      // Foundation reports the signal that ended a process as its status.
      XCTAssertEqual(killed.status, SIGKILL, "\(point): \(killed.standardError)")
      XCTAssertEqual(try run.checkpoint(name).progress.batchesDone, resumesAfter, point)
      let resumed = try run.resume(name)
      XCTAssertEqual(resumed.status, 0, "\(point): \(resumed.standardError)")
      XCTAssertTrue(
        resumed.standardError.contains("resuming after 0 epochs and \(resumesAfter) batches"),
        "\(point): \(resumed.standardError)")
      try run.assertSameRun(name, as: "whole")
      let files = try FileManager.default.contentsOfDirectory(atPath: run.path(name))
      XCTAssertEqual(
        files.filter { $0.contains(".tmp-") || $0.hasSuffix(".safetensors") }.sorted(),
        ["checkpoint-e3-b0.safetensors", "weights.safetensors"], point)
    }
  }

  func testKillPointsReadAsTheHiddenOptionWritesThem() {
    XCTAssertEqual(KillPoint(argument: "batch:7"), .batch(7))
    XCTAssertEqual(
      KillPoint(argument: "checkpoint:2:tensors-renamed"), .checkpoint(2, .tensorsRenamed))
    for wrong in ["batch:0", "batch:7:x", "checkpoint:2", "checkpoint:2:half", "sidecar:1", ""] {
      XCTAssertNil(KillPoint(argument: wrong), wrong)
    }
  }

  func testLeftoversOfACrashDoNotBreakResume() throws {
    let run = try TinyRun()
    XCTAssertEqual(try run.train("whole").status, 0)
    XCTAssertEqual(
      try run.train("killed", ["--checkpoint-every", "4", "--exit-after-batches", "30"]).status,
      RunOptions.exitStatus)
    // What a crash inside a checkpoint leaves: AtomicFile's temporary file, never renamed,
    // and a tensors file whose sidecar was never written.
    let folder = run.path("killed")
    let temporary = folder + "/.checkpoint.json.tmp-999999-42"
    let orphan = folder + "/checkpoint-e9-b9.safetensors"
    try Data("{\"half a sidecar".utf8).write(to: URL(fileURLWithPath: temporary))
    try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: orphan))
    let resumed = try run.resume("killed")
    XCTAssertEqual(resumed.status, 0, resumed.standardError)
    try run.assertSameRun("killed", as: "whole")
    XCTAssertFalse(FileManager.default.fileExists(atPath: temporary))
    XCTAssertFalse(FileManager.default.fileExists(atPath: orphan))
  }

  func testAChangedTensorsFileIsRefusedByItsDigest() throws {
    let run = try TinyRun()
    XCTAssertEqual(
      try run.train("killed", ["--exit-after-batches", "20"]).status, RunOptions.exitStatus)
    let record = try run.checkpoint("killed")
    let tensors = run.path("killed") + "/" + record.tensors
    var bytes = try Data(contentsOf: URL(fileURLWithPath: tensors))
    bytes[bytes.count - 1] ^= 1
    try bytes.write(to: URL(fileURLWithPath: tensors))
    let resumed = try run.resume("killed")
    XCTAssertEqual(resumed.status, 1)
    XCTAssertTrue(resumed.standardError.contains("\(tensors) has SHA-256"), resumed.standardError)
    XCTAssertTrue(resumed.standardError.contains("checkpoint.json recorded"), resumed.standardError)
  }

  func testEpochsExtendAFinishedRunAsIfItHadAskedForThemAtFirst() throws {
    let run = try TinyRun()
    XCTAssertEqual(try run.train("whole").status, 0)
    XCTAssertEqual(try run.train("short", ["--epochs", "2"]).status, 0)
    let again = try run.resume("short")
    XCTAssertEqual(again.status, 0, again.standardError)
    XCTAssertTrue(again.standardError.contains("has finished its 2 epochs"), again.standardError)
    let fewer = try run.resume("short", ["--epochs", "1"])
    XCTAssertEqual(fewer.status, 1)
    XCTAssertTrue(
      fewer.standardError.contains("the run has reached epoch 2, beyond the 1 asked for; give --epochs 2"),
      fewer.standardError)
    let extended = try run.resume("short", ["--epochs", "3", "--json"])
    XCTAssertEqual(extended.status, 0, extended.standardError)
    try run.assertSameRun("short", as: "whole")
    // The summary covers the whole run, the epochs of the first process included.
    let summary = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data((extended.standardOutput.split(separator: "\n").last ?? "").utf8))
        as? [String: Any])
    XCTAssertEqual(summary["epochs"] as? Int, 3)
  }
}
