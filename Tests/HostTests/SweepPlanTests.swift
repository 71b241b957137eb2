import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// The runs of a sweep: grid × seeds in a fixed order, a folder and a checked config each,
/// and run i on rank i mod size.
final class SweepPlanTests: XCTestCase {
  private let twoKeys = """
    config: tiny.yaml
    seeds: [7, 3]
    grid:
      optimizer.lr: [[0.1, 0.05], [0.2, 0.1]]
      learner.beta: [0.5, 1.0, 2.0]
    set: {training.epochs: 2}
    out: out
    """

  func testRunsAreSettingsInTheFilesOrderTimesSeeds() throws {
    let sweep = try TinySweep(sweep: twoKeys)
    let plan = try sweep.plan()
    XCTAssertEqual(
      plan.settings.map(\.label),
      [
        "optimizer.lr=[0.1, 0.05], learner.beta=0.5", "optimizer.lr=[0.1, 0.05], learner.beta=1.0",
        "optimizer.lr=[0.1, 0.05], learner.beta=2.0", "optimizer.lr=[0.2, 0.1], learner.beta=0.5",
        "optimizer.lr=[0.2, 0.1], learner.beta=1.0", "optimizer.lr=[0.2, 0.1], learner.beta=2.0",
      ])
    XCTAssertEqual(plan.runs.map(\.index), Array(0..<12))
    XCTAssertEqual(plan.runs.map(\.name).prefix(4), ["0-seed7", "0-seed3", "1-seed7", "1-seed3"])
    XCTAssertEqual(plan.runs[3].folder, sweep.out + "/1-seed3")
    // Each run's config holds its setting, its seed and the fixed settings.
    let run = plan.runs[7]
    XCTAssertEqual(plan.describe(run), "optimizer.lr=[0.2, 0.1], learner.beta=0.5, seed 3")
    XCTAssertEqual(run.config.seed, 3)
    XCTAssertEqual(run.config.learningRates, [0.2, 0.1])
    XCTAssertEqual(run.config.learner.options["beta"], .float(0.5))
    XCTAssertEqual(run.config.epochs, 2)
  }

  func testRunIGoesToRankIModSize() throws {
    let plan = try TinySweep(sweep: twoKeys).plan()
    XCTAssertEqual(plan.runs(ofRank: 0, size: 1).map(\.index), Array(0..<12))
    XCTAssertEqual(plan.runs(ofRank: 0, size: 5).map(\.index), [0, 5, 10])
    XCTAssertEqual(plan.runs(ofRank: 4, size: 5).map(\.index), [4, 9])
    XCTAssertEqual(plan.runs(ofRank: 13, size: 20).map(\.index), [], "more ranks than runs")
  }

  func testWithoutAGridEachSeedRunsTheBaseConfig() throws {
    let plan = try TinySweep(sweep: "config: tiny.yaml\nseeds: [4]\nout: out").plan()
    XCTAssertEqual(plan.settings.count, 1)
    XCTAssertEqual(plan.runs.map(\.name), ["0-seed4"])
    XCTAssertEqual(plan.describe(plan.runs[0]), "seed 4")
  }

  func testAValueTheConfigRefusesStopsThePlanNamingTheRun() throws {
    let sweep = try TinySweep(
      sweep: "config: tiny.yaml\nseeds: [1]\ngrid: {learner.betta: [1]}\nout: out")
    XCTAssertThrowsError(try sweep.plan()) {
      let message = ($0 as? ConfigError)?.message ?? ""
      XCTAssertTrue(
        message.hasSuffix(
          "sweep.yaml: run 0-seed1 (learner.betta=1, seed 1): learner.betta: unknown key; did you "
            + "mean 'beta'? (known: nudged_steps, beta, beta_sign, id)"), message)
    }
  }

  func testAWrongLearningRateListStopsBeforeTraining() throws {
    let sweep = try TinySweep(
      sweep: "config: tiny.yaml\nseeds: [1]\ngrid: {optimizer.lr: [[0.1]]}\nout: out")
    let plan = try sweep.plan()
    XCTAssertThrowsError(try plan.checkPlugins()) {
      let message = ($0 as? PluginFailure)?.message ?? ""
      XCTAssertTrue(
        message.contains("run 0-seed1 (optimizer.lr=[0.1], seed 1): optimizer.lr"), message)
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: sweep.out))
  }

  /// OUT/sweep.yaml runs the same sweep again from anywhere.
  func testTheRecordReadsBackAsTheSameSweep() throws {
    let sweep = try TinySweep(sweep: twoKeys)
    let file = try SweepFile.load(file: sweep.sweepPath)
      .adding([ConfigSetting(parsing: "training.epochs=3")], data: RepositoryPaths.mnist)
    let plan = try SweepPlan(file, catalog: TinySweep.catalog)
    try plan.writeRecord()
    let text = try String(contentsOfFile: sweep.out + "/" + SweepFolder.sweepName, encoding: .utf8)
    XCTAssertTrue(text.contains("#   4: optimizer.lr=[0.2, 0.1], learner.beta=1.0\n"), text)
    XCTAssertTrue(text.contains("set:\n  training.epochs: 3\n  data.dir: "), text)
    let again = try SweepPlan(
      SweepFile.load(file: sweep.out + "/sweep.yaml"), catalog: TinySweep.catalog)
    XCTAssertEqual(again.runs.map(\.folder), plan.runs.map(\.folder))
    for (a, b) in zip(again.runs, plan.runs) {
      XCTAssertEqual(a.config.resolvedText, b.config.resolvedText)
    }
  }
}
