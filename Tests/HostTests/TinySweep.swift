import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// A sweep small enough for the tests: dense [10, 16, 784] on the first 100 MNIST images, one
/// epoch of 5 batches per run, two values of β times two seeds, in a fresh folder.
struct TinySweep {
  let folder: String

  static let config = """
    model: {id: dense, layers: [10, 16, 784]}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.05, 0.1]}
    training: {epochs: 1, batch_size: 20, train_limit: 100, test_limit: 50}
    data: {dir: \(RepositoryPaths.mnist)}
    """

  static let sweep = """
    config: tiny.yaml
    seeds: [1, 2]
    grid:
      learner.beta: [0.5, 1.0]
    out: out
    """

  /// Writes the config and `sweep` (out: resolved inside the folder).
  init(sweep: String = TinySweep.sweep) throws {
    folder = try CPluginBuilder.temporaryFolder("eqprop-sweep")
    try Self.config.write(toFile: folder + "/tiny.yaml", atomically: true, encoding: .utf8)
    try sweep.replacingOccurrences(of: "out: out", with: "out: \(folder)/out")
      .write(toFile: sweepPath, atomically: true, encoding: .utf8)
  }

  var sweepPath: String { folder + "/sweep.yaml" }
  var out: String { folder + "/out" }

  static var catalog: PluginCatalog {
    PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
  }

  func plan() throws -> SweepPlan {
    try SweepPlan(SweepFile.load(file: sweepPath), catalog: Self.catalog)
  }

  /// The sweep on rank `communicator.rank`, its announced lines collected in `lines`.
  func run(
    _ plan: SweepPlan, on communicator: any Communicator = SingleProcess(),
    lines: Lines = Lines()
  ) throws -> SweepSummary? {
    try SweepRunner(
      plan: plan, communicator: communicator, catalog: Self.catalog, commandLine: ["test"]
    ) { lines.all.append($0) }
    .run(command: "eqprop sweep sweep.yaml")
  }

  /// The lines a runner announced.
  final class Lines {
    var all: [String] = []
  }

  /// `eqprop ARGUMENTS` on one kernel thread.
  func eqprop(_ arguments: [String]) throws -> ProcessRunner.Result {
    var environment = ProcessInfo.processInfo.environment
    environment["EQPROP_THREADS"] = "1"
    return try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop", arguments, environment: environment)
  }

  /// The lines of the out folder's summary.jsonl, parsed.
  func summaryLines() throws -> [[String: Any]] {
    let text = try String(contentsOfFile: out + "/" + SweepFolder.summaryName, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
      try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }
  }

  /// When run `name`'s weights were last written.
  func weightsDate(_ name: String) throws -> Date? {
    try FileManager.default.attributesOfItem(
      atPath: out + "/" + name + "/" + RunFolder.weightsName)[.modificationDate] as? Date
  }
}
