@preconcurrency import Glibc
import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// A run killed and resumed ends with the very weights, bit for bit, and the very
/// metrics.jsonl lines (the clock's aside) of a run never interrupted.
final class RunResumeTests: XCTestCase {
  private func assertSameRun(
    _ run: TinyRun, _ resumed: String, as reference: String, line: UInt = #line
  ) throws {
    let expected = try run.weights(reference)
    let found = try run.weights(resumed)
    XCTAssertEqual(found.map(\.name), expected.map(\.name), line: line)
    for (a, b) in zip(found, expected) {
      let differing = zip(a.bytes, b.bytes).filter { $0 != $1 }.count
      XCTAssertTrue(
        a.bytes == b.bytes, "tensor \(a.name): \(differing) of \(a.bytes.count) bytes differ",
        line: line)
    }
    let lines = try run.replayable(resumed)
    let expectedLines = try run.replayable(reference)
    XCTAssertEqual(lines.count, expectedLines.count, "metrics.jsonl lines", line: line)
    for (index, (a, b)) in zip(lines, expectedLines).enumerated() where a != b {
      XCTFail("metrics.jsonl line \(index + 1): \(a) instead of \(b)", line: line)
      break
    }
  }

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
    try assertSameRun(run, "killed", as: "whole")
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
    try assertSameRun(run, "killed", as: "whole")
    // The resumed run kept checkpointing every 5 batches, as run.json recorded.
    let manifest = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: run.path("killed") + "/run.json")))
        as? [String: Any])
    let resumptions = try XCTUnwrap(manifest["resumed"] as? [[String: Any]])
    XCTAssertEqual(resumptions.first?["checkpoint_every"] as? Int, 5)
    XCTAssertEqual(resumptions.first?["from_batches_done"] as? Int, 5)
  }

  /// A real SIGKILL, at whatever point the run has reached once a mid-epoch checkpoint exists.
  func testSIGKILLMidEpochResumesToTheSameWeights() throws {
    // Long enough (200 batches an epoch, 20 free steps) that the kill lands in epoch 1.
    let run = try TinyRun(
      config: TinyRun.config.replacingOccurrences(of: "train_limit: 400", with: "train_limit: 4000")
        .replacingOccurrences(of: "free_steps: 5", with: "free_steps: 20")
        .replacingOccurrences(of: "epochs: 3", with: "epochs: 2"))
    XCTAssertEqual(try run.train("whole").status, 0)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RepositoryPaths.binaryFolder + "/eqprop")
    process.arguments = [
      "train", run.configPath, "--out", run.path("killed"), "--checkpoint-every", "3",
    ]
    process.environment = ProcessInfo.processInfo.environment.merging(["EQPROP_THREADS": "1"]) {
      $1
    }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    var seen: CheckpointRecord?
    while process.isRunning, Date() < deadline {
      if let record = try? run.checkpoint("killed"), record.progress.batchesDone > 0 {
        seen = record
        break
      }
      usleep(1000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    XCTAssertEqual(
      process.terminationReason, .uncaughtSignal, "the run ended before it could be killed")
    XCTAssertNotNil(seen)
    let resumed = try run.resume("killed")
    XCTAssertEqual(resumed.status, 0, resumed.standardError)
    try assertSameRun(run, "killed", as: "whole")
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
    try assertSameRun(run, "killed", as: "whole")
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
    try assertSameRun(run, "short", as: "whole")
    // The summary covers the whole run, the epochs of the first process included.
    let summary = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data((extended.standardOutput.split(separator: "\n").last ?? "").utf8))
        as? [String: Any])
    XCTAssertEqual(summary["epochs"] as? Int, 3)
  }
}
