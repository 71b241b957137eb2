import XCTest

@testable import EqpropHost

/// How a global batch is split over ranks: contiguous, covering, sizes within one.
final class BatchShardTests: XCTestCase {
  func testShardsCoverTheBatchInRankOrderWithSizesWithinOne() {
    for (count, ranks) in [(20, 2), (20, 3), (7, 7), (128, 5), (1, 1)] {
      let shards = (0..<ranks).map { BatchShard(globalCount: count, rank: $0, size: ranks) }
      XCTAssertEqual(shards.flatMap { Array($0.positions) }, Array(0..<count), "\(count) over \(ranks)")
      let sizes = shards.map(\.positions.count)
      XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1, "\(sizes)")
      XCTAssertEqual(shards.map(\.weight).reduce(0, +), 1, accuracy: 1e-15)
    }
    XCTAssertEqual(
      (0..<3).map { BatchShard(globalCount: 20, rank: $0, size: 3).positions.count }, [7, 7, 6])
  }

  func testEveryBatchMustGiveEachRankAnExample() throws {
    try BatchShard.checkEveryBatchSplits(examples: 400, batchSize: 20, ranks: 2)
    try BatchShard.checkEveryBatchSplits(examples: 403, batchSize: 20, ranks: 3)
    try BatchShard.checkEveryBatchSplits(examples: 1, batchSize: 20, ranks: 1)
    for (examples, batch, ranks, smallest) in [(401, 20, 2, 1), (3, 20, 4, 3), (60, 2, 3, 2)] {
      XCTAssertThrowsError(
        try BatchShard.checkEveryBatchSplits(examples: examples, batchSize: batch, ranks: ranks)
      ) { error in
        XCTAssertTrue(
          "\(error)".contains("gives a batch of \(smallest), fewer than the \(ranks) ranks"), "\(error)")
      }
    }
  }
}
