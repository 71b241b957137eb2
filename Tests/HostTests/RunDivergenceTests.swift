import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// A run that diverges stops with a sentence naming the plugin, the place and the tensor,
/// keeps its last good checkpoint and writes nothing of the diverged state.
final class RunDivergenceTests: XCTestCase {
  /// Learning rates of 1e38 on f32 overflow within two epochs of the tiny run. Where exactly
  /// depends on rounding, so the test reads the place from the `stopped` line and checks the
  /// rest against it.
  func testADivergedRunStopsNamingItAndKeepsTheLastGoodCheckpoint() throws {
    let run = try TinyRun(
      config: TinyRun.config.replacingOccurrences(of: "lr: [0.05, 0.1]", with: "lr: [1e38, 1e38]"))
    let folder = run.path("diverged")
    let result = try run.train("diverged", ["--checkpoint-every", "1"])
    XCTAssertEqual(result.status, 1, result.standardError)
    let stopped = try XCTUnwrap(run.metrics("diverged").last)
    XCTAssertEqual(stopped["kind"] as? String, "stopped")
    XCTAssertEqual(stopped["reason"] as? String, "diverged")
    let epoch = try XCTUnwrap(stopped["epoch"] as? Int)
    let batch = try XCTUnwrap(stopped["batch"] as? Int, "diverged outside a training batch")
    let message = try XCTUnwrap(stopped["message"] as? String)
    XCTAssertTrue(
      message.hasPrefix("the run diverged at epoch \(epoch), batch \(batch): "), message)
    XCTAssertTrue(
      ["dynamics 'discrete' left", "learner 'ep' left"].contains { message.contains($0) }, message)
    XCTAssertTrue(
      ["(NaN or Inf) in layer s", "(NaN or Inf) in θ tensor "].contains { message.contains($0) },
      message)
    XCTAssertTrue(
      [
        "at the end of the free phase", "at the end of a nudged phase at β = ",
        "with the batch's update",
      ]
      .contains { message.contains($0) }, message)
    // The last good checkpoint is the one after the batch before, and nothing newer exists.
    let done = (epoch - 1) * 20 + batch - 1
    let record = try run.checkpoint("diverged")
    XCTAssertEqual(record.progress.epochsDone * 20 + record.progress.batchesDone, done)
    let summary =
      "\(folder)/checkpoint.json (after \(record.progress.epochsDone) epochs and "
      + "\(record.progress.batchesDone) batches) is the last good checkpoint"
    for part in [
      "error: \(message). Nothing of the diverged state was saved: \(summary)",
      "Lowering optimizer.lr (now [1e+38, 1e+38]) or β is the usual fix",
      "a resumed run keeps its config and would diverge here again",
    ] {
      XCTAssertTrue(result.standardError.contains(part), "\(part) in \(result.standardError)")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: folder)
    XCTAssertEqual(
      Set(files),
      [".lock", "config.yaml", "run.json", "metrics.jsonl", "checkpoint.json", record.tensors])
    // Its θ is the one a run stopped cleanly at that point holds.
    let reference = try run.train(
      "reference", ["--checkpoint-every", "1", "--exit-after-batches", "\(done)"])
    XCTAssertEqual(reference.status, RunOptions.exitStatus, reference.standardError)
    XCTAssertEqual(try run.checkpoint("reference").tensors, record.tensors)
    let kept = try SafetensorsFile.read(folder + "/" + record.tensors)
    let expected = try SafetensorsFile.read(run.path("reference") + "/" + record.tensors)
    XCTAssertEqual(kept.tensors, expected.tensors)
    XCTAssertEqual(try run.eqprop(["eval", folder + "/checkpoint.json"]).status, 0)
    // As the message says, a resume cannot lower the rates.
    let lowered = try run.resume("diverged", ["--set", "optimizer.lr=[0.05, 0.1]"])
    XCTAssertEqual(lowered.status, 1)
    XCTAssertTrue(
      lowered.standardError.contains("checkpoint.json was written under another config"),
      lowered.standardError)
  }
}
