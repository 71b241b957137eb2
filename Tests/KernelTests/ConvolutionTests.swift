@preconcurrency import CEqprop
import XCTest

@testable import EqpropKernel
import _EqpropKernelSIMD

/// The 1.1 convolution entries against naive loops written out below, in float32 and float64:
/// odd sizes, strides and paddings, batches, both paths of the transposed convolution and
/// several chunks of a batch.
///
/// Tolerance: each result is compared with a bound built from the same sum over absolute
/// values (as GemmTests does), so cancellation cannot hide an error and a wrong index (an
/// error of order 1) cannot pass.
final class ConvolutionTests: XCTestCase {
  /// One forward geometry: x [batch, cin, h, w], weight [cout, cin, kh, kw].
  struct Shape: CustomStringConvertible {
    var batch, cin, h, w, cout, kh, kw, sh, sw, ph, pw: Int
    var outH: Int { (h + 2 * ph - kh) / sh + 1 }
    var outW: Int { (w + 2 * pw - kw) / sw + 1 }
    var xCount: Int { batch * cin * h * w }
    var yCount: Int { batch * cout * outH * outW }
    var weightCount: Int { cout * cin * kh * kw }
    var description: String {
      "b\(batch) c\(cin)→\(cout) \(h)×\(w) k\(kh)×\(kw) s\(sh)×\(sw) p\(ph)×\(pw)"
    }
  }

  static let shapes = [
    Shape(batch: 3, cin: 2, h: 7, w: 5, cout: 3, kh: 3, kw: 2, sh: 1, sw: 2, ph: 1, pw: 0),
    Shape(batch: 1, cin: 1, h: 6, w: 6, cout: 1, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0),
    Shape(batch: 2, cin: 3, h: 9, w: 8, cout: 4, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1),
    // P-conv's C_1 in miniature: 5×5, stride 1, no padding.
    Shape(batch: 2, cin: 4, h: 12, w: 12, cout: 5, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0),
    // Laborieux et al. 2021: 3×3, padding 1 keeps the size; channels past one vector block.
    Shape(batch: 2, cin: 37, h: 5, w: 4, cout: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1),
    // Stride larger than the kernel: some input positions are read by no window.
    Shape(batch: 2, cin: 2, h: 8, w: 7, cout: 2, kh: 2, kw: 2, sh: 3, sw: 3, ph: 0, pw: 0),
    // The kernel fills the padded input exactly once: out 1 × 1.
    Shape(batch: 2, cin: 3, h: 3, w: 2, cout: 2, kh: 5, kw: 4, sh: 1, sw: 1, ph: 1, pw: 1),
  ]

  // MARK: Naive loops (the ground truth), sums in Double

  /// The input element read by output (i, j) at tap (u, v), or nil in the padding.
  static func source(_ s: Shape, _ i: Int, _ j: Int, _ u: Int, _ v: Int) -> (Int, Int)? {
    let ih = i * s.sh + u - s.ph
    let iw = j * s.sw + v - s.pw
    return ih >= 0 && ih < s.h && iw >= 0 && iw < s.w ? (ih, iw) : nil
  }

  /// Every (y index, x index, weight index) triple of the convolution's sum.
  static func terms(_ s: Shape) -> [(y: Int, x: Int, w: Int)] {
    var list: [(Int, Int, Int)] = []
    for b in 0..<s.batch {
      for o in 0..<s.cout {
        for i in 0..<s.outH {
          for j in 0..<s.outW {
            for c in 0..<s.cin {
              for u in 0..<s.kh {
                for v in 0..<s.kw {
                  guard let (ih, iw) = source(s, i, j, u, v) else { continue }
                  list.append(
                    (
                      ((b * s.cout + o) * s.outH + i) * s.outW + j,
                      ((b * s.cin + c) * s.h + ih) * s.w + iw,
                      ((o * s.cin + c) * s.kh + u) * s.kw + v
                    ))
                }
              }
            }
          }
        }
      }
    }
    return list
  }

  /// y = alpha·(conv(x) + bias) + beta·y, and its bound |alpha|·(Σ|w x| + |bias|) + |beta y|.
  static func naiveConv(
    _ s: Shape, alpha: Double, x: [Double], w: [Double], bias: [Double]?, beta: Double, y: [Double]
  ) -> (value: [Double], scale: [Double]) {
    var sum = [Double](repeating: 0, count: s.yCount)
    var magnitude = sum
    for t in terms(s) {
      sum[t.y] += w[t.w] * x[t.x]
      magnitude[t.y] += abs(w[t.w] * x[t.x])
    }
    let plane = s.outH * s.outW
    var value = sum
    var scale = sum
    for k in 0..<s.yCount {
      let shift = bias?[(k / plane) % s.cout] ?? 0
      let old = beta == 0 ? 0 : beta * y[k]
      value[k] = alpha * (sum[k] + shift) + old
      scale[k] = abs(alpha) * (magnitude[k] + abs(shift)) + abs(old)
    }
    return (value, scale)
  }

  /// x = alpha · convᵀ(y) + beta · x.
  static func naiveTranspose(
    _ s: Shape, alpha: Double, y: [Double], w: [Double], beta: Double, x: [Double]
  ) -> (value: [Double], scale: [Double]) {
    var sum = [Double](repeating: 0, count: s.xCount)
    var magnitude = sum
    for t in terms(s) {
      sum[t.x] += w[t.w] * y[t.y]
      magnitude[t.x] += abs(w[t.w] * y[t.y])
    }
    let value = (0..<s.xCount).map { alpha * sum[$0] + (beta == 0 ? 0 : beta * x[$0]) }
    let scale = (0..<s.xCount).map {
      abs(alpha) * magnitude[$0] + abs(beta == 0 ? 0 : beta * x[$0])
    }
    return (value, scale)
  }

  /// weight_grad += alpha · G(x, dy), bias_grad += alpha · Σ dy.
  static func naiveWeightGrad(
    _ s: Shape, alpha: Double, x: [Double], dy: [Double], weightGrad: [Double], biasGrad: [Double]
  ) -> (weight: [Double], weightScale: [Double], bias: [Double], biasScale: [Double]) {
    var weight = weightGrad
    var weightScale = weightGrad.map(abs)
    for t in terms(s) {
      weight[t.w] += alpha * dy[t.y] * x[t.x]
      weightScale[t.w] += abs(alpha * dy[t.y] * x[t.x])
    }
    var bias = biasGrad
    var biasScale = biasGrad.map(abs)
    let plane = s.outH * s.outW
    for k in 0..<s.yCount {
      bias[(k / plane) % s.cout] += alpha * dy[k]
      biasScale[(k / plane) % s.cout] += abs(alpha * dy[k])
    }
    return (weight, weightScale, bias, biasScale)
  }

  // MARK: Calls through the C table

  func conv2d<T: TestFloat>(
    _ s: Shape, alpha: Double, x: [T], w: [T], bias: [T]?, beta: Double, y: inout [T]
  ) -> EQP_Status? {
    kernel.conv2d?(
      T.dtype, Int64(s.batch), Int64(s.cin), Int64(s.h), Int64(s.w), Int64(s.cout), Int64(s.kh),
      Int64(s.kw), Int64(s.sh), Int64(s.sw), Int64(s.ph), Int64(s.pw), alpha, x, w, bias, beta,
      &y, nil)
  }

  func transpose<T: TestFloat>(
    _ s: Shape, alpha: Double, y: [T], w: [T], beta: Double, x: inout [T]
  ) -> EQP_Status? {
    kernel.conv2d_transpose?(
      T.dtype, Int64(s.batch), Int64(s.cin), Int64(s.h), Int64(s.w), Int64(s.cout), Int64(s.kh),
      Int64(s.kw), Int64(s.sh), Int64(s.sw), Int64(s.ph), Int64(s.pw), alpha, y, w, beta, &x, nil)
  }

  // MARK: Tests

  func testConv2dAgainstNaiveLoops() {
    runConv2dAgainstNaiveLoops(Float.self)
    runConv2dAgainstNaiveLoops(Double.self)
  }

  private func runConv2dAgainstNaiveLoops<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 11)
    for s in Self.shapes {
      for (withBias, beta) in [(true, -1.5), (false, 0.0)] {
        let x: [T] = random.array(s.xCount)
        let w: [T] = random.array(s.weightCount)
        let bias: [T]? = withBias ? random.array(s.cout) : nil
        // With beta = 0 the old contents must be ignored, NaN included.
        var y: [T] = beta == 0 ? Array(repeating: .nan, count: s.yCount) : random.array(s.yCount)
        let want = Self.naiveConv(
          s, alpha: 0.75, x: x.map { Double($0) }, w: w.map { Double($0) },
          bias: bias?.map { Double($0) }, beta: beta, y: y.map { Double($0) })
        expectOK(conv2d(s, alpha: 0.75, x: x, w: w, bias: bias, beta: beta, y: &y))
        assertClose(
          y.map { Double($0) }, want.value, tolerance: T.tolerance,
          scale: want.scale.map { $0 + 1e-300 },
          "conv2d \(T.self) \(s) bias=\(withBias) beta=\(beta)")
      }
    }
  }

  func testConv2dTransposeAgainstNaiveLoopsOnBothPaths() {
    runConv2dTransposeAgainstNaiveLoopsOnBothPaths(Float.self)
    runConv2dTransposeAgainstNaiveLoopsOnBothPaths(Double.self)
  }

  private func runConv2dTransposeAgainstNaiveLoopsOnBothPaths<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 12)
    for s in Self.shapes {
      // Dense y (the GEMM path), a quarter nonzero (an unpooled tensor: the sparse path) and
      // all zeros.
      for keep in [1.0, 0.25, 0.0] {
        let y: [T] = random.array(s.yCount).map { random.uniform(0, 1) < keep ? $0 : 0 }
        let w: [T] = random.array(s.weightCount)
        for beta in [0.5, 0.0] {
          var x: [T] = beta == 0 ? Array(repeating: .nan, count: s.xCount) : random.array(s.xCount)
          let want = Self.naiveTranspose(
            s, alpha: -1.25, y: y.map { Double($0) }, w: w.map { Double($0) }, beta: beta,
            x: x.map { Double($0) })
          expectOK(transpose(s, alpha: -1.25, y: y, w: w, beta: beta, x: &x))
          assertClose(
            x.map { Double($0) }, want.value, tolerance: T.tolerance,
            scale: want.scale.map { $0 + 1e-300 },
            "conv2d_transpose \(T.self) \(s) density≈\(keep) beta=\(beta)")
        }
      }
    }
  }

  func testSparseAndDenseTransposeAgree() throws {
    // The same call through each path directly, so both are checked whatever the density rule.
    var random = TestRandom(seed: 13)
    for s in Self.shapes {
      let y: [Double] = random.array(s.yCount)
      let w: [Double] = random.array(s.weightCount)
      let g = try geometry(s)
      let plan = try ConvPlan(Check(op: "test"), g, .f64, rows: g.patch + g.outChannels, limit: 1)
      var sparse = [Double](repeating: 0, count: s.xCount)
      var dense = sparse
      Convolution.transposeSparse(g, alpha: 1, y: y, weight: w, beta: 0, x: &sparse)
      Convolution.transposeDense(g, plan, alpha: 1, y: y, weight: w, beta: 0, x: &dense)
      let want = Self.naiveTranspose(s, alpha: 1, y: y, w: w, beta: 0, x: sparse)
      assertClose(
        sparse, want.value, tolerance: 1e-12, scale: want.scale.map { $0 + 1e-300 }, "sparse \(s)")
      assertClose(
        dense, want.value, tolerance: 1e-12, scale: want.scale.map { $0 + 1e-300 }, "dense \(s)")
    }
  }

  func testBaselineAndAVX2CopiesOfTheSparseLoopAgree() throws {
    // The C loop is built twice; the CPU picks one. Run both (AVX2 only where the CPU has it).
    let avx2 = eqp_simd_uses_avx2()
    defer { eqp_simd_select_avx2(avx2) }
    var random = TestRandom(seed: 18)
    for s in Self.shapes {
      let y: [Float] = random.array(s.yCount).map { random.uniform(0, 1) < 0.25 ? $0 : 0 }
      let w: [Float] = random.array(s.weightCount)
      let want = Self.naiveTranspose(
        s, alpha: 1, y: y.map { Double($0) }, w: w.map { Double($0) }, beta: 0,
        x: [Double](repeating: 0, count: s.xCount))
      for enable: Int32 in [0, 1] {
        eqp_simd_select_avx2(enable)
        var x = [Float](repeating: 0, count: s.xCount)
        Convolution.transposeSparse(try geometry(s), alpha: 1, y: y, weight: w, beta: 0, x: &x)
        assertClose(
          x.map { Double($0) }, want.value, tolerance: Float.tolerance,
          scale: want.scale.map { $0 + 1e-300 }, "sparse, AVX2 \(eqp_simd_uses_avx2()), \(s)")
      }
    }
  }

  func testConv2dWeightGradAgainstNaiveLoops() {
    runConv2dWeightGradAgainstNaiveLoops(Float.self)
    runConv2dWeightGradAgainstNaiveLoops(Double.self)
  }

  private func runConv2dWeightGradAgainstNaiveLoops<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 14)
    for s in Self.shapes {
      for withBias in [true, false] {
        let x: [T] = random.array(s.xCount)
        let dy: [T] = random.array(s.yCount)
        var weightGrad: [T] = random.array(s.weightCount)
        var biasGrad: [T] = random.array(s.cout)
        let untouchedBias = biasGrad
        let want = Self.naiveWeightGrad(
          s, alpha: 0.5, x: x.map { Double($0) }, dy: dy.map { Double($0) },
          weightGrad: weightGrad.map { Double($0) }, biasGrad: biasGrad.map { Double($0) })
        let status = biasGrad.withUnsafeMutableBufferPointer { bias in
          kernel.conv2d_weight_grad?(
            T.dtype, Int64(s.batch), Int64(s.cin), Int64(s.h), Int64(s.w), Int64(s.cout),
            Int64(s.kh), Int64(s.kw), Int64(s.sh), Int64(s.sw), Int64(s.ph), Int64(s.pw), 0.5, x,
            dy, &weightGrad, withBias ? bias.baseAddress : nil, nil)
        }
        expectOK(status)
        assertClose(
          weightGrad.map { Double($0) }, want.weight, tolerance: T.tolerance,
          scale: want.weightScale.map { $0 + 1e-300 }, "conv2d_weight_grad \(T.self) \(s)")
        if withBias {
          assertClose(
            biasGrad.map { Double($0) }, want.bias, tolerance: T.tolerance,
            scale: want.biasScale.map { $0 + 1e-300 }, "bias_grad \(T.self) \(s)")
        } else {
          XCTAssertEqual(biasGrad, untouchedBias, "bias_grad NULL: nothing written")
        }
      }
    }
  }

  func testSeveralChunksGiveTheSameResult() throws {
    // A scratch limit of one element forces one example per chunk.
    let s = Shape(batch: 5, cin: 3, h: 6, w: 7, cout: 4, kh: 3, kw: 3, sh: 1, sw: 2, ph: 1, pw: 1)
    var random = TestRandom(seed: 15)
    let x: [Double] = random.array(s.xCount)
    let w: [Double] = random.array(s.weightCount)
    let bias: [Double] = random.array(s.cout)
    let dy: [Double] = random.array(s.yCount)
    let g = try geometry(s)
    let plan = try ConvPlan(Check(op: "test"), g, .f64, rows: g.patch + g.outChannels, limit: 1)
    XCTAssertEqual(plan.chunk, 1)
    var y = [Double](repeating: 0, count: s.yCount)
    Convolution.forward(g, plan, alpha: 1, x: x, weight: w, bias: bias, beta: 0, y: &y)
    let wantY = Self.naiveConv(s, alpha: 1, x: x, w: w, bias: bias, beta: 0, y: y)
    assertClose(y, wantY.value, tolerance: 1e-12, scale: wantY.scale, "forward in chunks")
    var x2 = [Double](repeating: 0, count: s.xCount)
    Convolution.transposeDense(g, plan, alpha: 1, y: dy, weight: w, beta: 0, x: &x2)
    let wantX = Self.naiveTranspose(s, alpha: 1, y: dy, w: w, beta: 0, x: x2)
    assertClose(
      x2, wantX.value, tolerance: 1e-12, scale: wantX.scale.map { $0 + 1e-300 },
      "transpose in chunks")
    var weightGrad = [Double](repeating: 0, count: s.weightCount)
    var biasGrad = [Double](repeating: 0, count: s.cout)
    Convolution.weightGrad(
      g, plan, alpha: 1, x: x, dy: dy, weightGrad: &weightGrad, biasGrad: &biasGrad)
    let wantW = Self.naiveWeightGrad(
      s, alpha: 1, x: x, dy: dy, weightGrad: [Double](repeating: 0, count: s.weightCount),
      biasGrad: [Double](repeating: 0, count: s.cout))
    assertClose(
      weightGrad, wantW.weight, tolerance: 1e-12, scale: wantW.weightScale, "weight grad in chunks")
    assertClose(
      biasGrad, wantW.bias, tolerance: 1e-12, scale: wantW.biasScale, "bias grad in chunks")
  }

  func testTransposeIsTheAdjointOfTheForward() {
    // ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩ for every geometry, in float64.
    var random = TestRandom(seed: 16)
    for s in Self.shapes {
      let x: [Double] = random.array(s.xCount)
      let y: [Double] = random.array(s.yCount).map { random.uniform(0, 1) < 0.3 ? $0 : 0 }
      let w: [Double] = random.array(s.weightCount)
      var forward = [Double](repeating: 0, count: s.yCount)
      var backward = [Double](repeating: 0, count: s.xCount)
      expectOK(conv2d(s, alpha: 1, x: x, w: w, bias: nil, beta: 0, y: &forward))
      expectOK(transpose(s, alpha: 1, y: y, w: w, beta: 0, x: &backward))
      let left = zip(forward, y).map(*).reduce(0, +)
      let right = zip(x, backward).map(*).reduce(0, +)
      XCTAssertEqual(left, right, accuracy: 1e-12 * max(1, abs(left)), "\(s)")
    }
  }

  func testCountNonzeroCountsNaNAndNotNegativeZero() {
    // 19 elements: two vectors of Float and a partial one; NaN is nonzero, −0 is zero.
    let x: [Float] = [0, -0.0, 1, -2, .nan, 0, 3, 0, 0, .infinity, 0, 0, 0, 0, 5, 0, 0, 0, -1e-30]
    XCTAssertEqual(Convolution.countNonzero(x.count, x), 7)
    XCTAssertEqual(Convolution.countNonzero(x.count, x.map { Double($0) }), 7)
  }

  func testNaNInTheInputReachesTheOutput() {
    let s = Self.shapes[3]
    var random = TestRandom(seed: 17)
    let w: [Float] = random.array(s.weightCount)
    // A NaN in an otherwise sparse y (the sparse path) and in a dense one.
    for keep in [0.1, 1.0] {
      var y: [Float] = random.array(s.yCount).map { random.uniform(0, 1) < keep ? $0 : 0 }
      y[7] = .nan
      var x = [Float](repeating: 0, count: s.xCount)
      expectOK(transpose(s, alpha: 1, y: y, w: w, beta: 0, x: &x))
      XCTAssertTrue(x.contains { $0.isNaN }, "density \(keep): NaN was dropped")
    }
    var x: [Float] = random.array(s.xCount)
    x[0] = .nan
    var y = [Float](repeating: 0, count: s.yCount)
    expectOK(conv2d(s, alpha: 1, x: x, w: w, bias: nil, beta: 0, y: &y))
    XCTAssertTrue(y[0].isNaN)
  }

  func testEmptyBatchAndChannelsNeedNoData() {
    expectOK(
      kernel.conv2d?(
        UInt32(EQP_DTYPE_F32), 0, 3, 5, 5, 2, 3, 3, 1, 1, 0, 0, 1, nil, nil, nil, 0, nil, nil))
    expectOK(
      kernel.conv2d_transpose?(
        UInt32(EQP_DTYPE_F64), 0, 3, 5, 5, 2, 3, 3, 1, 1, 0, 0, 1, nil, nil, 0, nil, nil))
    expectOK(
      kernel.conv2d_weight_grad?(
        UInt32(EQP_DTYPE_F64), 0, 3, 5, 5, 2, 3, 3, 1, 1, 0, 0, 1, nil, nil, nil, nil, nil))
    // No input channels: y = alpha · bias + beta · y.
    let bias: [Double] = [1, -2]
    var y = [Double](repeating: 5, count: 2 * 3 * 3)
    expectOK(
      kernel.conv2d?(
        UInt32(EQP_DTYPE_F64), 1, 0, 5, 5, 2, 3, 3, 1, 1, 0, 0, 2, nil, nil, bias, 1, &y, nil))
    XCTAssertEqual(y, Array(repeating: 7, count: 9) + Array(repeating: 1, count: 9))
  }

  private func geometry(_ s: Shape) throws -> ConvGeometry {
    try ConvGeometry(
      Check(op: "test"), batch: Int64(s.batch), inChannels: Int64(s.cin), inH: Int64(s.h),
      inW: Int64(s.w), outChannels: Int64(s.cout), kernelH: Int64(s.kh), kernelW: Int64(s.kw),
      strideH: Int64(s.sh), strideW: Int64(s.sw), padH: Int64(s.ph), padW: Int64(s.pw))
  }
}
