import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// `mpirun -np N eqprop train`: every rank relaxes a shard of each batch and the updates are
/// summed over ranks, so the weights are a single process's up to the order of the sums. In
/// f64 that order changes them by about 1e-15 per update; the tolerance, 1e-10, leaves room
/// for three epochs of it and nothing else. Persistent states, momentum and random β signs
/// (TinyRun) all take part.
final class DataParallelTests: XCTestCase {
  /// TinyRun's config in f64.
  static let exactConfig = TinyRun.config + "\ndtype: f64\n"

  func testTwoAndThreeRanksReachTheWeightsOfOneProcess() throws {
    let run = try TinyRun(config: Self.exactConfig)
    try expectSuccess(run.train("single"))
    // 20 examples per batch: 10 + 10 on two ranks, 7 + 7 + 6 on three.
    for ranks in [2, 3] {
      let name = "ranks-\(ranks)"
      try trainOnRanks(run, name, ranks: ranks)
      try assertSameWeights(run.weights("single"), run.weights(name), tolerance: 1e-10, name)
      XCTAssertEqual(
        try epochErrors(run, "single"), try epochErrors(run, name),
        "\(name): the epochs' train and test errors")
      XCTAssertEqual(
        try FileManager.default.contentsOfDirectory(atPath: run.path(name)).sorted(),
        try FileManager.default.contentsOfDirectory(atPath: run.path("single")).sorted(),
        "\(name): rank 0 alone writes, the files of one process")
    }
  }

  func testGradientLearnersSumOverRanks() throws {
    for learner in ["{id: bptt}", "{id: rbp, steps: 8}"] {
      let run = try TinyRun(
        config: Self.config(learner: learner, dynamics: "{id: discrete, free_steps: 8}"))
      try expectSuccess(run.train("single"))
      try trainOnRanks(run, "ranks-2", ranks: 2)
      try assertSameWeights(
        run.weights("single"), run.weights("ranks-2"), tolerance: 1e-10, learner)
    }
  }

  /// C-EP with every step summed over ranks is exact; averaging θ at the batch's end is the
  /// named approximation: close to it, and not equal. Its error accumulates over batches
  /// and grows with the rates (docs/PERFORMANCE.md, "MPI"), so the rates are C-EP's usual
  /// size and the run short.
  func testContinualStepsAreSummedOrAveragedAsConfigured() throws {
    let run = try TinyRun(
      config: Self.config(
        learner: "{id: cep, nudged_steps: 4, beta: 0.5}",
        dynamics: "{id: discrete, free_steps: 8}", optimizer: "{lr: [0.005, 0.01]}"))
    try expectSuccess(run.train("single"))
    try trainOnRanks(run, "step", ranks: 2)
    try assertSameWeights(run.weights("single"), run.weights("step"), tolerance: 1e-10, "step")
    try trainOnRanks(run, "batch", ranks: 2, ["--set", "parallel.continual_reduce=batch"])
    let exact = try run.weights("single").flatMap { try XCTUnwrap($0.doubles()) }
    let averaged = try run.weights("batch").flatMap { try XCTUnwrap($0.doubles()) }
    let difference = zip(exact, averaged).map { abs($0 - $1) }.max() ?? 0
    let scale = exact.map(abs).max() ?? 1
    XCTAssertGreaterThan(difference, 1e-9, "averaging at the batch's end is not the exact sum")
    XCTAssertLessThan(difference, 0.01 * scale, "averaging at the batch's end stays close")
  }

  /// C-VF: the vector-field model's own step rule (step_update), random β signs and the
  /// model's hook, summed over ranks every step.
  func testVectorFieldStepsSumOverRanks() throws {
    let run = try TinyRun(
      config: Self.config(
        learner: "{id: cep, nudged_steps: 4, beta: 0.2, beta_sign: random}",
        dynamics: "{id: discrete, free_steps: 8}", optimizer: "{lr: [0.005, 0.01]}",
        model: "{id: vf, layers: [10, 16, 784], angle: 0}")
        + "\nhooks: [{plugin: vf, function: psi, args: [0], every: epoch}]\n")
    try expectSuccess(run.train("single"))
    try trainOnRanks(run, "ranks-2", ranks: 2)
    try assertSameWeights(run.weights("single"), run.weights("ranks-2"), tolerance: 1e-10, "C-VF")
  }

  /// A run killed under mpirun resumes under mpirun to the weights of an uninterrupted one.
  func testAResumedRunReachesTheUninterruptedWeights() throws {
    let run = try TinyRun(config: Self.exactConfig)
    try trainOnRanks(run, "whole", ranks: 2)
    let killed = try MPIRun.train(
      run, "killed", ranks: 2, ["--checkpoint-every", "7", "--exit-after-batches", "30"])
    XCTAssertNotEqual(killed.status, 0, "the run was to stop after 30 batches")
    XCTAssertEqual(try run.checkpoint("killed").progress.batchesDone, 7)
    try expectSuccess(MPIRun.resume(run, "killed", ranks: 2))
    try run.assertSameRun("killed", as: "whole")
  }

  /// The checkpoint is the same whatever the ranks (rank 0 gathers the persistent states of
  /// all examples), so a run killed on 2 ranks resumes on 3, or in one process, to the
  /// uninterrupted weights up to the order of the sums, with a warning that says so.
  func testARunResumesOnAnotherNumberOfRanks() throws {
    let run = try TinyRun(config: Self.exactConfig)
    try trainOnRanks(run, "whole", ranks: 2)
    for (name, ranks) in [("on-3", 3), ("alone", 1)] {
      let killed = try MPIRun.train(
        run, name, ranks: 2, ["--checkpoint-every", "7", "--exit-after-batches", "30"])
      XCTAssertNotEqual(killed.status, 0, "the run was to stop after 30 batches")
      let resumed = try ranks == 1 ? run.resume(name) : MPIRun.resume(run, name, ranks: ranks)
      expectSuccess(resumed)
      XCTAssertTrue(
        resumed.standardError.contains("the run started on 2 ranks and resumes on \(ranks)"),
        resumed.standardError)
      try assertSameWeights(run.weights("whole"), run.weights(name), tolerance: 1e-10, name)
    }
  }

  /// A refusal every rank reaches stops them all cleanly, rank 0 alone saying why.
  func testABatchWithFewerExamplesThanRanksIsRefused() throws {
    let run = try TinyRun(config: Self.exactConfig)
    let result = try MPIRun.train(run, "uneven", ranks: 2, ["--set", "training.train_limit=401"])
    XCTAssertEqual(result.status, 1, result.standardError)
    XCTAssertEqual(
      result.standardError.components(separatedBy: "gives a batch of 1, fewer than the 2 ranks").count,
      2, "said once, by rank 0: \(result.standardError)")
    XCTAssertFalse(
      result.standardError.contains("MPI_ABORT"),
      "every rank knew, so all left the job cleanly: \(result.standardError)")
  }

  // MARK: Helpers

  /// TinyRun's data and sizes in f64, with another learner, dynamics or model.
  static func config(
    learner: String, dynamics: String, optimizer: String = "{lr: [0.05, 0.1], momentum: 0.5}",
    model: String = "{id: dense, layers: [10, 16, 784]}"
  ) -> String {
    """
    name: tiny
    seed: 3
    dtype: f64
    model: \(model)
    dynamics: \(dynamics)
    learner: \(learner)
    optimizer: \(optimizer)
    training: {epochs: 2, batch_size: 20, train_limit: 200, test_limit: 100}
    data: {dir: \(RepositoryPaths.mnist)}
    """
  }

  /// `eqprop train` of `run` into `name` on `ranks` ranks, which must succeed and must have
  /// run as one job of that many ranks (run.json), not as ranks training alone.
  private func trainOnRanks(
    _ run: TinyRun, _ name: String, ranks: Int, _ extra: [String] = [],
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    expectSuccess(try MPIRun.train(run, name, ranks: ranks, extra), file: file, line: line)
    let manifest = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: run.path(name) + "/" + RunFolder.manifestName)))
    XCTAssertEqual(
      (manifest as? [String: Any])?["ranks"] as? Int, ranks, "\(name): run.json's ranks",
      file: file, line: line)
  }

  private func expectSuccess(
    _ result: ProcessRunner.Result, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(result.status, 0, result.standardError, file: file, line: line)
  }

  private func assertSameWeights(
    _ expected: [SafetensorsTensor], _ actual: [SafetensorsTensor], tolerance: Double,
    _ label: String, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    XCTAssertEqual(expected.map(\.name), actual.map(\.name), label, file: file, line: line)
    for (one, other) in zip(expected, actual) {
      let difference =
        zip(try XCTUnwrap(one.doubles()), try XCTUnwrap(other.doubles())).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThanOrEqual(
        difference, tolerance, "\(label): \(one.name) differs by \(difference)", file: file,
        line: line)
    }
  }

  private func epochErrors(_ run: TinyRun, _ name: String) throws -> [[Double]] {
    try run.metrics(name).filter { $0["kind"] as? String == "epoch" }.map {
      [$0["train_error"] as? Double ?? -1, $0["test_error"] as? Double ?? -1]
    }
  }
}
