import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// The statistics of a sweep's summary, checked against values computed by hand, and the
/// shape of summary.jsonl and summary.md.
final class SweepSummaryTests: XCTestCase {
  func testMeanAndSampleStandardDeviation() {
    // Mean 5; squared deviations 9, 1, 1, 1, 0, 0, 4, 16 sum to 32; 32 / 7 is the variance.
    let statistics = SampleStatistics([2, 4, 4, 4, 5, 5, 7, 9])
    XCTAssertEqual(statistics.count, 8)
    XCTAssertEqual(statistics.mean, 5)
    XCTAssertEqual(
      try XCTUnwrap(statistics.standardDeviation), (32.0 / 7).squareRoot(), accuracy: 1e-15)
    let two = SampleStatistics([0.02, 0.03])
    XCTAssertEqual(try XCTUnwrap(two.mean), 0.025, accuracy: 1e-15)
    XCTAssertEqual(try XCTUnwrap(two.standardDeviation), 0.01 / 2.squareRoot(), accuracy: 1e-15)
    let one = SampleStatistics([0.1])
    XCTAssertEqual(one.mean, 0.1)
    XCTAssertNil(one.standardDeviation, "one run has no sample std")
    XCTAssertNil(SampleStatistics([]).mean)
  }

  /// Two settings of two seeds; setting 1 has a failed run, so its std is null.
  private func summary() throws -> SweepSummary {
    let plan = try TinySweep().plan()
    func finished(_ run: Int, test: Double, train: Double, best: Double) -> SweepOutcome {
      var outcome = SweepOutcome(run: run, reports: [])
      outcome.epochs = 3
      outcome.finalTestError = test
      outcome.finalTrainError = train
      outcome.bestTestError = best
      return outcome
    }
    return SweepSummary(
      plan: plan,
      outcomes: [
        finished(0, test: 0.02, train: 0.01, best: 0.015),
        finished(1, test: 0.03, train: 0.02, best: 0.025),
        SweepOutcome(run: 2, failure: "the run \"diverged\""),
        finished(3, test: 0.05, train: 0.04, best: 0.045),
      ])
  }

  func testJSONLinesHoldStatisticsPerSeedValuesAndFailures() throws {
    let text = try summary().jsonLines
    let lines = try text.split(separator: "\n").map {
      try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    XCTAssertEqual(lines.count, 2)
    XCTAssertTrue(
      text.hasPrefix("{\"setting\":0,\"values\":{\"learner.beta\":0.5},\"seeds\":[1,2],"), text)
    let first = lines[0]
    XCTAssertEqual(first["finished"] as? Int, 2)
    XCTAssertEqual(first["failed"] as? Int, 0)
    let test = try XCTUnwrap(first["test_error"] as? [String: Any])
    XCTAssertEqual(try XCTUnwrap(test["mean"] as? Double), 0.025, accuracy: 1e-15)
    XCTAssertEqual(try XCTUnwrap(test["std"] as? Double), 0.01 / 2.squareRoot(), accuracy: 1e-15)
    XCTAssertEqual(test["per_seed"] as? [Double], [0.02, 0.03])
    XCTAssertEqual(
      (first["best_test_error"] as? [String: Any])?["per_seed"] as? [Double], [0.015, 0.025])
    XCTAssertEqual(first["folders"] as? [String], ["0-seed1", "0-seed2"])
    let second = lines[1]
    XCTAssertEqual(second["finished"] as? Int, 1)
    XCTAssertEqual(second["failed"] as? Int, 1)
    let train = try XCTUnwrap(second["train_error"] as? [String: Any])
    XCTAssertEqual(train["mean"] as? Double, 0.04)
    XCTAssertTrue(train["std"] is NSNull, "one finished run has no sample std")
    XCTAssertEqual((train["per_seed"] as? [Any])?.first.map { $0 is NSNull }, true)
    let failures = try XCTUnwrap(second["failures"] as? [[String: Any]])
    XCTAssertEqual(failures.count, 1)
    XCTAssertEqual(failures[0]["seed"] as? Int, 1)
    XCTAssertEqual(failures[0]["folder"] as? String, "1-seed1")
    XCTAssertEqual(failures[0]["message"] as? String, "the run \"diverged\"")
  }

  func testMarkdownTableHasAColumnPerGridKeyAndMeanPlusMinusStd() throws {
    let text = try summary().markdown(command: "eqprop sweep s.yaml")
    XCTAssertEqual(
      text,
      """
      | learner.beta | n | test error % | train error % | best test error % |
      | --- | --: | --: | --: | --: |
      | 0.5 | 2 | 2.50 ± 0.71 | 1.50 ± 0.71 | 2.00 ± 0.71 |
      | 1.0 | 1 (1 failed) | 5.00 | 4.00 | 4.50 |

      Final test and train error, and the lowest test error of any epoch, in %: mean ± sample \
      standard deviation (n − 1) over the finished runs of seeds 1, 2. Made by `eqprop sweep s.yaml`.

      """)
  }
}
