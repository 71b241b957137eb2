import Foundation
@preconcurrency import Glibc
import TestSupport
import XCTest

@testable import EqpropHost

/// A small training run for the run-folder tests, through the built `eqprop`: dense
/// [10, 16, 784] on the first 400 MNIST images, 3 epochs of 20 batches, in f32, with
/// momentum, persistent states and random β signs, so every piece of state a resume restores
/// matters to the final weights.
struct TinyRun {
  /// A fresh folder holding the config and the runs.
  let folder: String

  static let config = """
    name: tiny
    seed: 3
    model: {id: dense, layers: [10, 16, 784]}
    dynamics: {id: discrete, free_steps: 5, persistent: true}
    learner: {id: ep, nudged_steps: 2, beta: 0.5, beta_sign: random}
    optimizer: {lr: [0.05, 0.1], momentum: 0.5}
    training: {epochs: 3, batch_size: 20, train_limit: 400, test_limit: 100}
    data: {dir: \(RepositoryPaths.mnist)}
    """

  init(config: String = TinyRun.config) throws {
    folder = try CPluginBuilder.temporaryFolder("eqprop-run")
    try config.write(toFile: configPath, atomically: true, encoding: .utf8)
  }

  var configPath: String { folder + "/tiny.yaml" }

  func path(_ run: String) -> String { folder + "/" + run }

  /// `eqprop ARGUMENTS` on one kernel thread (the machine is shared; one thread also keeps
  /// every run's sums in one order).
  func eqprop(_ arguments: [String]) throws -> ProcessRunner.Result {
    var environment = ProcessInfo.processInfo.environment
    environment["EQPROP_THREADS"] = "1"
    return try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop", arguments, environment: environment)
  }

  /// `eqprop train` of this config into run folder `run`, with `extra` arguments.
  func train(_ run: String, _ extra: [String] = []) throws -> ProcessRunner.Result {
    try eqprop(["train", configPath, "--out", path(run)] + extra)
  }

  /// `eqprop train --resume` of run folder `run`.
  func resume(_ run: String, _ extra: [String] = []) throws -> ProcessRunner.Result {
    try eqprop(["train", "--resume", path(run)] + extra)
  }

  /// The tensors of run `run`'s weights.safetensors.
  func weights(_ run: String) throws -> [SafetensorsTensor] {
    try SafetensorsFile.read(path(run) + "/" + RunFolder.weightsName).tensors
  }

  /// The lines of run `run`'s metrics.jsonl, parsed.
  func metrics(_ run: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path(run) + "/" + RunFolder.metricsName, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
      try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }
  }

  /// What must agree between a resumed run's metrics and an uninterrupted run's: every
  /// field of every line but the clock's.
  func replayable(_ run: String) throws -> [NSDictionary] {
    try metrics(run).map { line in
      NSDictionary(
        dictionary: line.filter { !["seconds", "examples_per_second"].contains($0.key) })
    }
  }

  /// Run `run`'s checkpoint sidecar, parsed.
  func checkpoint(_ run: String, slot: String = "checkpoint") throws -> CheckpointRecord {
    try CheckpointRecord.decode(
      Array(try Data(contentsOf: URL(fileURLWithPath: path(run) + "/\(slot).json"))))
  }

  /// Checks that run `resumed` ended with run `reference`'s weights, bit for bit, and its
  /// metrics.jsonl lines, the clock's fields aside.
  func assertSameRun(_ resumed: String, as reference: String, line: UInt = #line) throws {
    let expected = try weights(reference)
    let found = try weights(resumed)
    XCTAssertEqual(found.map(\.name), expected.map(\.name), line: line)
    for (a, b) in zip(found, expected) {
      let differing = zip(a.bytes, b.bytes).filter { $0 != $1 }.count
      XCTAssertTrue(
        a.bytes == b.bytes, "tensor \(a.name): \(differing) of \(a.bytes.count) bytes differ",
        line: line)
    }
    let lines = try replayable(resumed)
    let expectedLines = try replayable(reference)
    XCTAssertEqual(lines.count, expectedLines.count, "metrics.jsonl lines", line: line)
    for (index, (a, b)) in zip(lines, expectedLines).enumerated() where a != b {
      XCTFail("metrics.jsonl line \(index + 1): \(a) instead of \(b)", line: line)
      break
    }
  }

  /// Starts `eqprop train` of this config into run folder `run` without waiting for it; its
  /// stderr goes to the returned file, outside the run folder (which may be on a full disk).
  func start(_ run: String, _ extra: [String] = []) throws -> (process: Process, log: String) {
    let log = folder + "/" + run.replacingOccurrences(of: "/", with: "-") + ".stderr"
    try Data().write(to: URL(fileURLWithPath: log))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RepositoryPaths.binaryFolder + "/eqprop")
    process.arguments = ["train", configPath, "--out", path(run)] + extra
    process.environment = ProcessInfo.processInfo.environment.merging(["EQPROP_THREADS": "1"]) {
      $1
    }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle(forWritingAtPath: log)
    try process.run()
    return (process, log)
  }

  /// Waits (a minute at most) until run `run` has a checkpoint `accept` takes, while
  /// `process` runs; returns it, or nil when the process ended or time ran out first.
  func waitForCheckpoint(
    _ run: String, of process: Process, where accept: (CheckpointRecord) -> Bool
  ) -> CheckpointRecord? {
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning, Date() < deadline {
      if let record = try? checkpoint(run), accept(record) { return record }
      usleep(1000)
    }
    return nil
  }
}
