import XCTest

@testable import EqpropHost

/// The terminal's progress bar and the numbers in it.
final class ProgressBarTests: XCTestCase {
  func testTheBarShowsWhereTheEpochStands() {
    var tally = BatchTally()
    tally.add(
      BatchReport(lossSum: 2.5, errors: 3, metrics: MetricSums()), examples: 20, seconds: 0.01)
    let bar = ProgressBar(
      epoch: 2, epochs: 30, batch: 750, batchesPerEpoch: 3000, tally: tally, secondsLeft: 3725)
    XCTAssertEqual(
      bar.text,
      "epoch 2/30 [#####---------------] 750/3000  loss 0.1250  error 15.00%  2000 ex/s  ETA 1:02:05"
    )
  }

  func testNumbersRoundAsPrinted() {
    XCTAssertEqual(ProgressBar.digits(0.04567, 2), "0.05")
    XCTAssertEqual(ProgressBar.digits(12.0, 3), "12.000")
    XCTAssertEqual(ProgressBar.digits(-0.5, 1), "-0.5")
    XCTAssertEqual(ProgressBar.clock(59.6), "1:00")
    XCTAssertEqual(ProgressBar.clock(.nan), "0:00")
  }
}
