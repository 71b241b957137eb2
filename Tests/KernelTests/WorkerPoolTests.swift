import Foundation
import XCTest

@testable import EqpropKernel

/// The kernel's worker pool: every part runs exactly once whatever the thread count, a call
/// made from inside a part or from a second thread still completes, and ranges are fixed.
final class WorkerPoolTests: XCTestCase {
  private var saved = 1

  override func setUp() { saved = WorkerPool.threads }

  override func tearDown() { WorkerPool.setThreads(saved) }

  func testEveryPartRunsOnceForEveryThreadCount() {
    for threads in [1, 2, 3, 5] {
      WorkerPool.setThreads(threads)
      for parts in [0, 1, 2, 7, 64] {
        var runs = [Int](repeating: 0, count: parts)
        runs.withUnsafeMutableBufferPointer { slots in
          let base = slots.baseAddress
          WorkerPool.run(parts: parts) { part in base?[part] += 1 }
        }
        XCTAssertEqual(
          runs, [Int](repeating: 1, count: parts), "threads \(threads), parts \(parts)")
      }
    }
  }

  /// Without EQPROP_THREADS, ranks a launcher put on one machine share its cores.
  func testRanksOnOneMachineShareItsCores() {
    XCTAssertEqual(WorkerPool.defaultThreads(cores: 8, environment: [:]), 8)
    XCTAssertEqual(WorkerPool.defaultThreads(cores: 8, environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2"]), 4)
    XCTAssertEqual(WorkerPool.defaultThreads(cores: 2, environment: ["MPI_LOCALNRANKS": "3"]), 1)
    XCTAssertEqual(WorkerPool.defaultThreads(cores: 4, environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "x"]), 4)
  }

  func testACallFromInsideAPartRunsItsPartsToo() {
    WorkerPool.setThreads(2)
    var inner = [Int](repeating: 0, count: 2 * 8)
    inner.withUnsafeMutableBufferPointer { slots in
      let base = slots.baseAddress
      WorkerPool.run(parts: 2) { outer in
        WorkerPool.run(parts: 8) { part in base?[outer * 8 + part] += 1 }
      }
    }
    XCTAssertEqual(inner, [Int](repeating: 1, count: 16))
  }

  func testTwoThreadsCallingAtOnceBothComplete() {
    WorkerPool.setThreads(2)
    let rounds = 2000
    let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * 4)
    sums.initialize(repeating: 0)
    defer { sums.deallocate() }
    let done = DispatchGroup()
    for caller in 0..<2 {
      done.enter()
      // An address, not a pointer, crosses into the thread (pointers are not Sendable).
      let address = Int(bitPattern: sums.baseAddress! + caller * 4)
      Thread {
        let base = UnsafeMutablePointer<Int>(bitPattern: address)!
        for _ in 0..<rounds { WorkerPool.run(parts: 4) { part in base[part] += 1 } }
        done.leave()
      }.start()
    }
    XCTAssertEqual(done.wait(timeout: .now() + 60), .success, "a caller never returned")
    XCTAssertEqual(Array(sums), [Int](repeating: rounds, count: 8))
  }

  func testRangesCoverEveryIndexOnceAndDependOnlyOnTheCounts() {
    for threads in [1, 2, 3] {
      WorkerPool.setThreads(threads)
      for count in [0, 1, 2, 5, 20] {
        var owner = [Int](repeating: -1, count: count)
        owner.withUnsafeMutableBufferPointer { slots in
          let base = slots.baseAddress
          WorkerPool.forEachRange(count, parallel: true) { part, range in
            for index in range { base?[index] = part }
          }
        }
        let parts = min(threads, count)
        let want = (0..<count).map { index in
          (0..<parts).first { (index + 1) * parts <= ($0 + 1) * count }!
        }
        XCTAssertEqual(owner, want, "threads \(threads), count \(count)")
      }
    }
  }

  func testGemmSplitsIntoAlignedBlocksCoveringC() {
    // Batch-20 layer products split their 512 columns; the Hebbian aᵀb its 512 rows; a
    // 10-column product its rows; products under 1 MFLOP stay whole.
    let cases: [(m: Int, n: Int, k: Int, transA: Bool, columns: Bool, parts: Int)] = [
      (20, 512, 784, false, true, 2), (512, 784, 20, true, false, 2),
      (128, 10, 512, false, false, 2),
      (20, 10, 512, false, true, 1), (37, 301, 70, false, true, 2),
    ]
    for c in cases {
      let split = Gemm.Split(m: c.m, n: c.n, k: c.k, transA: c.transA, threads: 2)
      XCTAssertEqual(split.parts, c.parts, "\(c)")
      guard split.parts > 1 else { continue }
      XCTAssertEqual(split.columns, c.columns, "\(c)")
      let ranges = (0..<split.parts).map(split.range)
      XCTAssertEqual(ranges.first?.lowerBound, 0)
      XCTAssertEqual(ranges.last?.upperBound, c.columns ? c.n : c.m)
      for (left, right) in zip(ranges, ranges.dropFirst()) {
        XCTAssertEqual(left.upperBound, right.lowerBound, "\(c)")
        XCTAssertEqual(
          left.upperBound % (c.columns ? 16 : 4), 0, "block edge \(left.upperBound) in \(c)")
      }
    }
  }
}

extension WorkerPoolTests {
  func testSplitProductsAreBitwiseTheSameOnAnyThreadCount() {
    // Runs are reproducible only if a result does not depend on how the work was cut.
    var random = TestRandom(seed: 3)
    for (m, n, k, transA) in [
      (20, 512, 784, false), (512, 784, 20, true), (128, 10, 512, false), (37, 301, 70, false),
    ] {
      let a: [Float] = random.array(m * k)
      let b: [Float] = random.array(k * n)
      let results = [1, 2, 3].map { threads -> [Float] in
        WorkerPool.setThreads(threads)
        var c = [Float](repeating: 0, count: m * n)
        expectOK(
          kernel.gemm?(
            Float.dtype, transA ? 1 : 0, 0, Int64(m), Int64(n), Int64(k), 1, a,
            Int64(transA ? m : k), b,
            Int64(n), 0, &c, Int64(n), nil))
        return c
      }
      XCTAssertEqual(results[0], results[1], "\(m)×\(n)×\(k) on 1 and 2 threads")
      XCTAssertEqual(results[0], results[2], "\(m)×\(n)×\(k) on 1 and 3 threads")
    }
  }
}
