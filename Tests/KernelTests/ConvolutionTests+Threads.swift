import XCTest

@testable import EqpropKernel

extension ConvolutionTests {
  func testLargeConvolutionsOnSeveralThreadsMatchNaiveLoops() {
    // Big enough that im2col and col2im split their channels and the sparse transposed
    // convolution its examples; 1 and 3 threads (an uneven split), float64.
    let saved = WorkerPool.threads
    defer { WorkerPool.setThreads(saved) }
    let s = Shape(batch: 7, cin: 5, h: 13, w: 12, cout: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1)
    XCTAssertGreaterThanOrEqual(
      s.cin * s.kh * s.kw * s.batch * s.outH * s.outW, Convolution.parallelElements)
    var random = TestRandom(seed: 17)
    let x: [Double] = random.array(s.xCount)
    let w: [Double] = random.array(s.weightCount)
    let bias: [Double] = random.array(s.cout)
    let dense: [Double] = random.array(s.yCount)
    let sparse = dense.map { random.uniform(0, 1) < 0.2 ? $0 : 0 }
    for threads in [1, 3] {
      WorkerPool.setThreads(threads)
      var y = [Double](repeating: .nan, count: s.yCount)
      expectOK(conv2d(s, alpha: 1, x: x, w: w, bias: bias, beta: 0, y: &y))
      let wantY = Self.naiveConv(s, alpha: 1, x: x, w: w, bias: bias, beta: 0, y: y)
      assertClose(
        y, wantY.value, tolerance: 1e-12, scale: wantY.scale, "conv2d on \(threads) threads")
      for (name, dy) in [("dense", dense), ("sparse", sparse)] {
        var back = [Double](repeating: .nan, count: s.xCount)
        expectOK(transpose(s, alpha: 1, y: dy, w: w, beta: 0, x: &back))
        let want = Self.naiveTranspose(s, alpha: 1, y: dy, w: w, beta: 0, x: back)
        assertClose(
          back, want.value, tolerance: 1e-12, scale: want.scale.map { $0 + 1e-300 },
          "\(name) conv2d_transpose on \(threads) threads")
      }
    }
  }
}
