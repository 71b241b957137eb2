import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Tiny sweeps trained end to end: a folder per run, the summary files, a second run that
/// continues the first, failures counted, and runs spread over ranks.
final class SweepRunTests: XCTestCase {
  func testASweepTrainsEveryRunIntoItsFolderAndSummarisesThem() throws {
    let sweep = try TinySweep()
    let lines = TinySweep.Lines()
    let summary = try XCTUnwrap(try sweep.run(try sweep.plan(), lines: lines))
    XCTAssertEqual(summary.failed, 0)
    XCTAssertEqual(
      lines.all.first,
      "rank 0: run 1/4 (learner.beta=0.5, seed 1): training in \(sweep.out)/0-seed1")
    XCTAssertTrue(
      lines.all.contains {
        $0.hasPrefix("rank 0: run 4/4 (learner.beta=1.0, seed 2): test error ")
      },
      "\(lines.all)")
    let names = ["0-seed1", "0-seed2", "1-seed1", "1-seed2"]
    for name in names {
      XCTAssertTrue(
        FileManager.default.fileExists(atPath: "\(sweep.out)/\(name)/\(RunFolder.weightsName)"),
        name)
    }
    // Each per-seed value is the run's last epoch line.
    let rows = try sweep.summaryLines()
    XCTAssertEqual(rows.count, 2)
    for (index, row) in rows.enumerated() {
      XCTAssertEqual(row["finished"] as? Int, 2)
      let folders = try XCTUnwrap(row["folders"] as? [String])
      XCTAssertEqual(folders, Array(names[2 * index..<2 * index + 2]))
      let test = try XCTUnwrap(row["test_error"] as? [String: Any])
      let perSeed = try XCTUnwrap(test["per_seed"] as? [Double])
      let logged = try folders.map { folder in
        let lines = MetricsLog.lines("\(sweep.out)/\(folder)/\(RunFolder.metricsName)", upTo: .max)
        return try XCTUnwrap(lines.compactMap(MetricsLine.epochReport).last?.testError)
      }
      XCTAssertEqual(perSeed, logged)
      XCTAssertEqual(test["mean"] as? Double, SampleStatistics(logged).mean)
    }
    XCTAssertEqual(
      try String(contentsOfFile: sweep.out + "/" + SweepFolder.tableName, encoding: .utf8),
      summary.markdown(command: "eqprop sweep sweep.yaml"))
    XCTAssertTrue(FileManager.default.fileExists(atPath: sweep.out + "/" + SweepFolder.sweepName))
  }

  /// A run killed after two batches is resumed; on the next try every run is read back and
  /// none is trained again.
  func testRunningAgainResumesAPartialRunAndSkipsFinishedOnes() throws {
    let sweep = try TinySweep()
    let plan = try sweep.plan()
    let partial = plan.runs[3]
    let config = sweep.folder + "/partial.yaml"
    try partial.config.resolvedText.write(toFile: config, atomically: true, encoding: .utf8)
    let killed = try sweep.eqprop(
      [
        "train", config, "--out", partial.folder, "--checkpoint-every", "1", "--exit-after-batches",
        "2",
      ])
    XCTAssertEqual(killed.status, RunOptions.exitStatus, killed.standardError)

    let first = TinySweep.Lines()
    let summary = try XCTUnwrap(try sweep.run(plan, lines: first))
    XCTAssertEqual(summary.failed, 0)
    XCTAssertTrue(
      first.all.contains(
        "rank 0: run 4/4 (learner.beta=1.0, seed 2): resuming in \(partial.folder)"), "\(first.all)"
    )
    let manifest = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: partial.folder + "/run.json")))
        as? [String: Any])
    XCTAssertEqual((manifest["resumed"] as? [Any])?.count, 1)

    let dates = try plan.runs.map { try sweep.weightsDate($0.name) }
    let again = TinySweep.Lines()
    let second = try XCTUnwrap(try sweep.run(plan, lines: again))
    XCTAssertEqual(again.all.count, 4, "one line per run: \(again.all)")
    XCTAssertTrue(
      again.all.allSatisfy { $0.contains(": finished before; test error ") }, "\(again.all)")
    XCTAssertEqual(try plan.runs.map { try sweep.weightsDate($0.name) }, dates)
    XCTAssertEqual(second.jsonLines, summary.jsonLines)
  }

  /// A run that cannot go on is recorded with its message and the others still train; the
  /// command prints the table and exits 1.
  func testAFailedRunIsCountedAndTheSweepGoesOn() throws {
    let sweep = try TinySweep()
    let plan = try sweep.plan()
    // Folder 0-seed2 already holds a run of another β.
    let foreign = plan.runs[1].folder
    try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
    try plan.runs[3].config.resolvedText.write(
      toFile: foreign + "/" + RunFolder.configName, atomically: true, encoding: .utf8)
    try "{}".write(
      toFile: foreign + "/" + RunFolder.manifestName, atomically: true, encoding: .utf8)

    let result = try sweep.eqprop(["sweep", sweep.sweepPath, "--quiet"])
    XCTAssertEqual(result.status, 1, result.standardError)
    XCTAssertTrue(result.standardOutput.contains("| 0.5 | 1 (1 failed) | "), result.standardOutput)
    XCTAssertTrue(
      result.standardOutput.contains("Made by `eqprop sweep \(sweep.sweepPath) --quiet`"))
    XCTAssertTrue(
      result.standardError.hasSuffix(
        "error: 1 of 4 runs failed; their messages are in \(sweep.out)/summary.jsonl\n"),
      result.standardError)
    let failures = try XCTUnwrap(sweep.summaryLines().first?["failures"] as? [[String: Any]])
    XCTAssertEqual(
      failures.first?["message"] as? String,
      "\(foreign) holds a run of another config (learner.beta is 1.0 there, 0.5 in the sweep); "
        + "move the folder away, or give the sweep another out")
    XCTAssertEqual(try sweep.summaryLines()[1]["finished"] as? Int, 2)
  }

  /// Two ranks, one after the other: rank 1 trains runs 1 and 3 and sends their outcomes;
  /// rank 0 trains runs 0 and 2 and writes the summary of all four, reading nothing of rank
  /// 1's folders (removed before it runs: no shared file system is needed).
  func testTwoRanksSplitTheRunsAndRankZeroGathersTheirOutcomes() throws {
    let sweep = try TinySweep()
    let plan = try sweep.plan()
    let rank1 = RecordedRanks(rank: 1, size: 2, sent: [[], []])
    let lines1 = TinySweep.Lines()
    XCTAssertNil(try sweep.run(plan, on: rank1, lines: lines1))
    XCTAssertEqual(lines1.all.filter { $0.contains(": training in ") }.count, 2)
    XCTAssertTrue(
      lines1.all.allSatisfy {
        $0.hasPrefix("rank 1: run 2/4 ") || $0.hasPrefix("rank 1: run 4/4 ")
      }, "\(lines1.all)")
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: sweep.out + "/" + SweepFolder.sweepName),
      "rank 0 writes it")
    for run in [plan.runs[1], plan.runs[3]] {
      try FileManager.default.removeItem(atPath: run.folder)
    }

    let rank0 = RecordedRanks(rank: 0, size: 2, sent: [[], rank1.sent[1]])
    let lines0 = TinySweep.Lines()
    let summary = try XCTUnwrap(try sweep.run(plan, on: rank0, lines: lines0))
    XCTAssertTrue(
      lines0.all.allSatisfy {
        $0.hasPrefix("rank 0: run 1/4 ") || $0.hasPrefix("rank 0: run 3/4 ")
      }, "\(lines0.all)")
    XCTAssertEqual(summary.failed, 0)
    XCTAssertEqual(summary.rows.map(\.finished), [2, 2])
    XCTAssertTrue(summary.rows.allSatisfy { $0.testError.standardDeviation != nil })
    XCTAssertEqual(try sweep.summaryLines().count, 2)
  }

  /// The same under `mpirun -np 2`: each rank trains its two runs, the summary holds all four,
  /// and the runs are the ones a single process trains.
  func testMPIRunSpreadsTheRunsOverRanks() throws {
    let sweep = try TinySweep()
    let result = try MPIRun.eqprop(["sweep", sweep.sweepPath], ranks: 2)
    XCTAssertEqual(result.status, 0, result.standardError)
    for (rank, runs) in [(0, [1, 3]), (1, [2, 4])] {
      for run in runs {
        XCTAssertTrue(
          result.standardError.contains("rank \(rank): run \(run)/4 "), result.standardError)
      }
    }
    XCTAssertEqual(try sweep.summaryLines().map { $0["finished"] as? Int }, [2, 2])
    let alone = try TinySweep()
    _ = try alone.run(try alone.plan())
    for name in ["0-seed1", "1-seed2"] {
      let weights = { (out: String) in
        try SafetensorsFile.read(out + "/" + name + "/" + RunFolder.weightsName).tensors.map(\.bytes)
      }
      XCTAssertEqual(try weights(sweep.out), try weights(alone.out), name)
    }
  }
}
