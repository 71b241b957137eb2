import XCTest

@testable import EqpropHost

/// Each epoch's order is a permutation fixed by (seed, epoch), unbiased, and cut into batches.
final class DataEpochOrderTests: XCTestCase {
  func testEachEpochIsAPermutation() {
    for count in [0, 1, 2, 1000] {
      let order = EpochOrder(count: count, seed: 7)
      for epoch: UInt64 in 0..<3 {
        XCTAssertEqual(order.permutation(epoch: epoch).sorted(), Array(0..<count))
      }
    }
  }

  func testSameSeedAndEpochGiveTheSameOrder() {
    XCTAssertEqual(
      EpochOrder(count: 500, seed: 42).permutation(epoch: 3),
      EpochOrder(count: 500, seed: 42).permutation(epoch: 3))
  }

  func testOtherEpochOrSeedGivesAnotherOrder() {
    let order = EpochOrder(count: 500, seed: 42)
    XCTAssertNotEqual(order.permutation(epoch: 0), order.permutation(epoch: 1))
    XCTAssertNotEqual(
      order.permutation(epoch: 0), EpochOrder(count: 500, seed: 43).permutation(epoch: 0))
    XCTAssertNotEqual(order.permutation(epoch: 0), Array(0..<500))
  }

  /// Pins the derivation: a change here changes the order of every seeded run, so it must be
  /// deliberate.
  func testOrderIsStableAcrossVersions() {
    XCTAssertEqual(
      EpochOrder(count: 10, seed: 42).permutation(epoch: 0), [2, 3, 8, 1, 7, 0, 6, 4, 5, 9])
  }

  /// Each of the 6 orders of 3 items comes up about equally often (within 5 deviations).
  func testShuffleIsUnbiased() {
    let order = EpochOrder(count: 3, seed: 1)
    var seen: [[Int]: Int] = [:]
    let trials = 6000
    for epoch in 0..<UInt64(trials) { seen[order.permutation(epoch: epoch), default: 0] += 1 }
    XCTAssertEqual(seen.count, 6)
    let expected = Double(trials) / 6
    let deviation = (expected * 5 / 6).squareRoot()
    for (permutation, hits) in seen {
      XCTAssertLessThan(abs(Double(hits) - expected), 5 * deviation, "\(permutation): \(hits)")
    }
  }

  func testBatchesCoverTheEpochInOrder() throws {
    let order = EpochOrder(count: 70, seed: 9)
    let batches = try order.batches(epoch: 2, size: 32)
    XCTAssertEqual(batches.map(\.count), [32, 32, 6])
    XCTAssertEqual(Array(batches.joined()), order.permutation(epoch: 2))
    XCTAssertThrowsError(try order.batches(epoch: 0, size: 0))
    XCTAssertEqual(try EpochOrder(count: 0, seed: 1).batches(epoch: 0, size: 4).count, 0)
  }
}
