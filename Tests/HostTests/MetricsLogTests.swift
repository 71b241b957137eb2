import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// metrics.jsonl keeps its contract (`MetricsLine`): the names `eqprop plot` and users'
/// scripts read, one line per window and per epoch, with the host's own metrics.
final class MetricsLogTests: XCTestCase {
  func testLinesCarryTheContractsFields() throws {
    let run = try TinyRun()
    let result = try run.train("lines", ["--epochs", "2", "--log-every", "4"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let lines = try run.metrics("lines")
    // 20 batches an epoch: windows end at batches 4, 8, 12, 16 and 20, then the epoch's line.
    let kinds = (0..<2).flatMap { _ in Array(repeating: "batches", count: 5) + ["epoch"] }
    XCTAssertEqual(lines.map { $0["kind"] as? String }, kinds)
    for line in lines {
      let metrics = try XCTUnwrap(line["metrics"] as? [String: Double], "\(line)")
      for name in [
        "free_steps", "free_residual", "update/W01", "update/W1x", "update/b0", "update/b1",
      ] {
        XCTAssertNotNil(metrics[name], "\(name) missing from \(line)")
      }
      XCTAssertEqual(metrics["free_steps"], 5)
      let epoch = try XCTUnwrap(line["epoch"] as? Int)
      if line["kind"] as? String == "epoch" {
        XCTAssertEqual(
          Set(line.keys),
          [
            "kind", "epoch", "progress", "train_error", "test_error", "train_loss", "test_loss",
            "seconds",
            "examples_per_second", "metrics",
          ])
        XCTAssertEqual(line["progress"] as? Int, epoch)
      } else {
        XCTAssertEqual(
          Set(line.keys),
          [
            "kind", "epoch", "batch", "batches", "progress", "train_error", "train_loss",
            "examples_per_second", "metrics",
          ])
        let batch = try XCTUnwrap(line["batch"] as? Int)
        XCTAssertEqual(batch % 4, 0)
        XCTAssertEqual(line["batches"] as? Int, 4)
        XCTAssertEqual(
          try XCTUnwrap(line["progress"] as? Double), Double(epoch - 1) + Double(batch) / 20,
          accuracy: 1e-12)
      }
      for key in ["train_error", "train_loss", "examples_per_second"] {
        XCTAssertNotNil(line[key] as? Double, "\(key) of \(line)")
      }
    }
    // The epoch line's train error is the mean of its windows' (equal-sized windows).
    let first = lines.prefix(6).compactMap { $0["train_error"] as? Double }
    XCTAssertEqual(first[5], first.prefix(5).reduce(0, +) / 5, accuracy: 1e-12)
    // Without a terminal, stderr shows a line per window besides the epoch lines.
    XCTAssertTrue(
      result.standardError.contains("  epoch 1 batch 4/20  train_error"), result.standardError)
  }

  /// Saturation counts units on a bound of their layer's clip range: the energy-based model
  /// declares [0, 1] and its dynamics clips to it.
  func testSaturationIsMeasuredWhereLayersDeclareAClipRange() throws {
    let run = try TinyRun(
      config: TinyRun.config.replacingOccurrences(
        of: "{id: dense, layers: [10, 16, 784]}",
        with: "{id: hopfield, layers: [10, 16, 784], activation: hardsigm, clamp: true}"))
    let result = try run.train("clipped", ["--epochs", "1", "--log-every", "10"])
    XCTAssertEqual(result.status, 0, result.standardError)
    for line in try run.metrics("clipped") {
      let saturation = try XCTUnwrap(
        (line["metrics"] as? [String: Double])?["saturation"], "\(line)")
      XCTAssertTrue((0...1).contains(saturation), "\(saturation)")
    }
  }

  func testEpochLinesReadBackAsReports() throws {
    let report = EpochReport(
      epoch: 2, trainError: 0.25, trainLoss: 0.5, testError: 0.125, testLoss: 0.75, seconds: 1.5,
      examplesPerSecond: 100, metrics: ["update/W01": 1e-3, "angle": .nan])
    let line = MetricsLine.epoch(report)
    XCTAssertTrue(
      line.hasPrefix("{\"kind\":\"epoch\",\"epoch\":2,\"progress\":2,\"train_error\":0.25,"), line)
    XCTAssertTrue(line.contains("\"metrics\":{\"angle\":null,\"update/W01\":0.001}"), line)
    let back = try XCTUnwrap(MetricsLine.epochReport(line[...]))
    XCTAssertEqual(back.epoch, 2)
    XCTAssertEqual(back.testError, 0.125)
    XCTAssertEqual(back.metrics["update/W01"], 1e-3)
    XCTAssertEqual(back.metrics["angle"]?.isNaN, true)
  }
}
