@preconcurrency import CEqprop
import XCTest

@testable import EqpropKernel

/// maxpool2d, maxunpool2d and pool_gather2d against naive loops written out below, in float32
/// and float64. Pooling only moves values, so results must be exact.
final class PoolingTests: XCTestCase {
  struct Window {
    var batch, channels, h, w, poolH, poolW, strideH, strideW: Int
    var outH: Int { (h - poolH) / strideH + 1 }
    var outW: Int { (w - poolW) / strideW + 1 }
    var inCount: Int { batch * channels * h * w }
    var outCount: Int { batch * channels * outH * outW }
  }

  static let windows = [
    Window(batch: 2, channels: 3, h: 8, w: 8, poolH: 2, poolW: 2, strideH: 2, strideW: 2),
    // Odd sides: the last row and column are dropped (rounded down).
    Window(batch: 3, channels: 2, h: 7, w: 5, poolH: 2, poolW: 2, strideH: 2, strideW: 2),
    // Overlapping windows (stride < pool), rectangular.
    Window(batch: 1, channels: 2, h: 6, w: 7, poolH: 3, poolW: 2, strideH: 1, strideW: 2),
    // One window over the whole plane, and a 1 × 1 pool (identity).
    Window(batch: 2, channels: 1, h: 3, w: 4, poolH: 3, poolW: 4, strideH: 1, strideW: 1),
    Window(batch: 1, channels: 2, h: 3, w: 3, poolH: 1, poolW: 1, strideH: 1, strideW: 1),
  ]

  /// Each window's maximum and its index; ties to the first in row-major order, NaN wins.
  static func naiveMaxPool(_ p: Window, _ x: [Double]) -> (values: [Double], indices: [Int64]) {
    var values: [Double] = []
    var indices: [Int64] = []
    for plane in 0..<(p.batch * p.channels) {
      for i in 0..<p.outH {
        for j in 0..<p.outW {
          var best = -Double.infinity
          var at = -1
          for h in (i * p.strideH)..<(i * p.strideH + p.poolH) {
            for w in (j * p.strideW)..<(j * p.strideW + p.poolW) {
              let value = x[plane * p.h * p.w + h * p.w + w]
              if best.isNaN { continue }
              if at < 0 || value.isNaN || value > best {
                best = value
                at = h * p.w + w
              }
            }
          }
          values.append(best)
          indices.append(Int64(at))
        }
      }
    }
    return (values, indices)
  }

  func maxpool<T: TestFloat>(_ p: Window, _ x: [T], _ y: inout [T], _ indices: inout [Int64])
    -> EQP_Status?
  {
    kernel.maxpool2d?(
      T.dtype, Int64(p.batch), Int64(p.channels), Int64(p.h), Int64(p.w), Int64(p.poolH),
      Int64(p.poolW), Int64(p.strideH), Int64(p.strideW), x, &y, &indices, nil)
  }

  func testMaxPoolAgainstNaiveLoops() {
    runMaxPoolAgainstNaiveLoops(Float.self)
    runMaxPoolAgainstNaiveLoops(Double.self)
  }

  private func runMaxPoolAgainstNaiveLoops<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 21)
    for p in Self.windows {
      let x: [T] = random.array(p.inCount)
      var y = [T](repeating: 0, count: p.outCount)
      var indices = [Int64](repeating: -9, count: p.outCount)
      expectOK(maxpool(p, x, &y, &indices))
      let want = Self.naiveMaxPool(p, x.map { Double($0) })
      XCTAssertEqual(y.map { Double($0) }, want.values, "\(T.self) \(p)")
      XCTAssertEqual(indices, want.indices, "\(T.self) \(p)")
    }
  }

  func testTiesGoToTheFirstMaximumAndNaNWins() {
    // One 2 × 3 window per plane.
    let p = Window(batch: 1, channels: 4, h: 2, w: 3, poolH: 2, poolW: 3, strideH: 1, strideW: 1)
    let x: [Double] = [
      1, 1, 1, 1, 1, 1,  // all equal: index 0
      0, 2, 0, 2, 0, 2,  // 2 at 1, 3 and 5: index 1
      0, 0, 0, 0, 0, 5,  // single maximum, last: index 5
      3, .nan, 4, .nan, 9, 1,  // NaN wins, the first one: index 1
    ]
    var y = [Double](repeating: 0, count: 4)
    var indices = [Int64](repeating: 0, count: 4)
    expectOK(maxpool(p, x, &y, &indices))
    XCTAssertEqual(indices, [0, 1, 5, 1])
    XCTAssertEqual(Array(y.prefix(3)), [1, 2, 5])
    XCTAssertTrue(y[3].isNaN)
    // A NaN first in its window stays the answer.
    var first = [Double](repeating: 0, count: 1)
    var at = [Int64](repeating: 7, count: 1)
    let single = Window(
      batch: 1, channels: 1, h: 1, w: 3, poolH: 1, poolW: 3, strideH: 1, strideW: 1)
    expectOK(maxpool(single, [.nan, 4, .nan], &first, &at))
    XCTAssertTrue(first[0].isNaN)
    XCTAssertEqual(at, [0])
  }

  func testIndicesMayBeNull() {
    let p = Self.windows[0]
    var random = TestRandom(seed: 22)
    let x: [Float] = random.array(p.inCount)
    var y = [Float](repeating: 0, count: p.outCount)
    expectOK(
      kernel.maxpool2d?(
        Float.dtype, Int64(p.batch), Int64(p.channels), Int64(p.h), Int64(p.w), 2, 2, 2, 2, x,
        &y, nil, nil))
    XCTAssertEqual(y.map { Double($0) }, Self.naiveMaxPool(p, x.map { Double($0) }).values)
  }

  func testUnpoolScattersAndGatherReadsBack() {
    runUnpoolScattersAndGatherReadsBack(Float.self)
    runUnpoolScattersAndGatherReadsBack(Double.self)
  }

  private func runUnpoolScattersAndGatherReadsBack<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 23)
    for p in Self.windows {
      let x: [T] = random.array(p.inCount)
      var pooled = [T](repeating: 0, count: p.outCount)
      var indices = [Int64](repeating: 0, count: p.outCount)
      expectOK(maxpool(p, x, &pooled, &indices))
      let values: [T] = random.array(p.outCount)
      // Unpool: zeros, plus every value at its index (overlapping windows may share one).
      var want = [Double](repeating: 0, count: p.inCount)
      let inPlane = p.h * p.w
      let outPlane = p.outH * p.outW
      for k in 0..<p.outCount {
        want[(k / outPlane) * inPlane + Int(indices[k])] += Double(values[k])
      }
      var unpooled = [T](repeating: .nan, count: p.inCount)
      expectOK(
        kernel.maxunpool2d?(
          T.dtype, Int64(p.batch), Int64(p.channels), Int64(p.h), Int64(p.w), Int64(p.outH),
          Int64(p.outW), values, indices, &unpooled, nil))
      assertClose(
        unpooled.map { Double($0) }, want, tolerance: T.tolerance, "maxunpool2d \(T.self) \(p)")
      // Gather at the pooling's own indices gives the pooled values back.
      var gathered = [T](repeating: .nan, count: p.outCount)
      expectOK(
        kernel.pool_gather2d?(
          T.dtype, Int64(p.batch), Int64(p.channels), Int64(p.h), Int64(p.w), Int64(p.outH),
          Int64(p.outW), x, indices, &gathered, nil))
      XCTAssertEqual(gathered, pooled, "pool_gather2d \(T.self) \(p)")
      // And gather is unpool's adjoint: ⟨unpool(v), z⟩ = ⟨v, gather(z)⟩.
      let z: [T] = random.array(p.inCount)
      expectOK(
        kernel.pool_gather2d?(
          T.dtype, Int64(p.batch), Int64(p.channels), Int64(p.h), Int64(p.w), Int64(p.outH),
          Int64(p.outW), z, indices, &gathered, nil))
      let left = zip(unpooled, z).map { Double($0) * Double($1) }.reduce(0, +)
      let right = zip(values, gathered).map { Double($0) * Double($1) }.reduce(0, +)
      XCTAssertEqual(left, right, accuracy: 1e-5 * Double(p.inCount), "adjoint \(T.self) \(p)")
    }
  }

  func testAnIndexOutsideThePlaneIsRefusedBeforeWriting() throws {
    let values: [Double] = [1, 2, 3, 4]
    let indices: [Int64] = [0, 3, 4, 1]  // 4 is outside a 2 × 2 plane
    var y = [Double](repeating: 9, count: 4)
    XCTAssertEqual(
      kernel.maxunpool2d?(UInt32(EQP_DTYPE_F64), 1, 1, 2, 2, 2, 2, values, indices, &y, nil),
      EQP_Status(EQP_ERR_INVALID_ARGUMENT))
    XCTAssertEqual(y, [9, 9, 9, 9])
    XCTAssertThrowsError(
      try CPUKernel.poolGather2d(
        dtype: UInt32(EQP_DTYPE_F64), batch: 1, channels: 1, inH: 2, inW: 2, outH: 2, outW: 2,
        x: values, indices: [0, -1, 0, 0], y: &y)
    ) { error in
      XCTAssertEqual(
        (error as? KernelError)?.message,
        "kernel.pool_gather2d: indices[1] is -1, must lie in [0, 4) (in_h × in_w)")
    }
    XCTAssertEqual(y, [9, 9, 9, 9])
  }
}
