@preconcurrency import CEqprop
import XCTest

@testable import EqpropHost

/// A job of one process: every collective gives back what it was given.
final class SingleProcessTests: XCTestCase {
  func testCollectivesOfOneRank() throws {
    // Through the protocol, as every command holds it.
    let job: any Communicator = SingleProcess()
    XCTAssertEqual(job.rank, 0)
    XCTAssertEqual(job.size, 1)
    XCTAssertTrue(job.isLeader)
    XCTAssertEqual(try job.sum([1.5, -2]), [1.5, -2])
    XCTAssertEqual(try job.broadcast([1, 2, 3]), [1, 2, 3])
    XCTAssertEqual(try job.allgather([4, 5]), [[4, 5]])
    XCTAssertEqual(try job.allgather([]), [[]])
    var values: [Float] = [1, 2]
    try values.withUnsafeMutableBufferPointer { buffer in
      try job.allreduceSum(buffer.baseAddress!, count: 2, dtype: UInt32(EQP_DTYPE_F32))
    }
    XCTAssertEqual(values, [1, 2])
    try job.barrier()
    job.close()
  }

  func testCheckOfOneRank() throws {
    XCTAssertEqual(
      try CommunicatorCheck.run(SingleProcess()),
      "1 rank (single process): allreduce_sum, broadcast, allgather, barrier agree")
  }
}
