@preconcurrency import CEqprop
import EqpropKernel
import XCTest
import _EqpropKernelSIMD

final class ActivationTests: XCTestCase {
  /// act or act' of x through the table, out of place or in place.
  private func run<T: TestFloat>(
    _ act: Activation, grad: Bool, _ x: [T], inPlace: Bool = false,
    file: StaticString = #filePath, line: UInt = #line
  ) -> [T] {
    let fn = grad ? kernel.activate_grad : kernel.activate
    if inPlace {
      var y = x
      expectOK(
        fn?(T.dtype, act.rawValue, Int64(x.count), y, &y, nil), file: file, line: line)
      return y
    }
    var y = [T](repeating: 0, count: x.count)
    expectOK(
      fn?(T.dtype, act.rawValue, Int64(x.count), x, &y, nil), file: file, line: line)
    return y
  }

  func testRawValuesAreTheHeaderConstants() {
    XCTAssertEqual(Activation.identity.rawValue, Int32(EQP_ACT_IDENTITY))
    XCTAssertEqual(Activation.sigm.rawValue, Int32(EQP_ACT_SIGM))
    XCTAssertEqual(Activation.hardsigm.rawValue, Int32(EQP_ACT_HARDSIGM))
    XCTAssertEqual(Activation.sigmoid.rawValue, Int32(EQP_ACT_SIGMOID))
    XCTAssertEqual(Activation.tanh.rawValue, Int32(EQP_ACT_TANH))
  }

  func testValuesAndDerivativesMatchTheReference() {
    // float32's exp-based activations run a C loop compiled twice (baseline and AVX2 + FMA):
    // both copies, where the CPU has AVX2; 9001 elements split across threads.
    let avx2 = eqp_simd_uses_avx2()
    defer { eqp_simd_select_avx2(avx2) }
    for copy: Int32 in avx2 != 0 ? [0, 1] : [0] {
      eqp_simd_select_avx2(copy)
      compareWithReference(Float.self)
    }
    compareWithReference(Double.self)
  }

  private func compareWithReference<T: TestFloat>(_: T.Type) {
    var random = TestRandom(seed: 4)
    for n in oddSizes + [1027, 9001] {
      // [-4, 4] covers both tails of every activation; 0 and 1 are hardsigm's corners.
      var x: [T] = random.array(n, -4, 4)
      if n >= 3 { x[0] = 0; x[1] = 1; x[2] = 0.5 }
      for act in Activation.allCases {
        for grad in [false, true] {
          let want = grad ? ReferenceKernel.activateGrad(act, x) : ReferenceKernel.activate(act, x)
          let what = "\(grad ? "activate_grad" : "activate") \(act) \(T.self) n=\(n)"
          assertClose(run(act, grad: grad, x), want, tolerance: T.tolerance, what)
          assertClose(
            run(act, grad: grad, x, inPlace: true), want, tolerance: T.tolerance,
            what + " in place")
        }
      }
    }
  }

  func testSaturationInfinityAndNaN() {
    let x: [Float] = [100, -100, 1e30, -1e30, .infinity, -.infinity, .nan, 50, -50]
    XCTAssertEqual(Array(run(.sigm, grad: false, x).prefix(6)), [1, 0, 1, 0, 1, 0])
    XCTAssertEqual(Array(run(.sigmoid, grad: false, x).prefix(6)), [1, 0, 1, 0, 1, 0])
    XCTAssertEqual(Array(run(.tanh, grad: false, x).prefix(6)), [1, -1, 1, -1, 1, -1])
    XCTAssertEqual(Array(run(.hardsigm, grad: false, x).prefix(6)), [1, 0, 1, 0, 1, 0])
    for act in [Activation.sigm, .sigmoid, .tanh, .hardsigm] {
      XCTAssertEqual(Array(run(act, grad: true, x).prefix(6)), [0, 0, 0, 0, 0, 0], "\(act)'")
    }
    for act in Activation.allCases {
      for grad in [false, true] {
        XCTAssert(run(act, grad: grad, x)[6].isNaN, "\(act) grad=\(grad) hides NaN")
        XCTAssert(run(act, grad: grad, x.map(Double.init))[6].isNaN, "\(act) f64 hides NaN")
      }
    }
    // Far tails keep relative accuracy (no 4 s (1 - s) cancellation): sigm'(±10) ≈ 4e-17.
    let tails: [Double] = [10, -10, 20, -20]
    assertClose(
      run(.sigm, grad: true, tails), ReferenceKernel.activateGrad(.sigm, tails),
      tolerance: 1e-12, "sigm' tails")
    assertClose(
      run(.tanh, grad: true, tails), ReferenceKernel.activateGrad(.tanh, tails),
      tolerance: 1e-12, "tanh' tails")
  }

  func testHardsigmDerivativeIsOneOnTheClosedInterval() {
    let x: [Float] = [-Float.leastNonzeroMagnitude, 0, 0.5, 1, Float(1).nextUp, -0.0]
    XCTAssertEqual(run(.hardsigm, grad: true, x), [0, 1, 1, 1, 0, 1])
    XCTAssertEqual(run(.hardsigm, grad: true, x.map(Double.init)), [0, 1, 1, 1, 0, 1])
  }

  func testDerivativesMatchCentralDifferences() {
    let h = 1e-5
    // Grid points keep h away from hardsigm's kinks at 0 and 1.
    let x = stride(from: -3.0, through: 3.0, by: 0.0625).map { $0 + 0.01 }
    let plus = x.map { $0 + h }
    let minus = x.map { $0 - h }
    for act in Activation.allCases {
      let slope = zip(run(act, grad: false, plus), run(act, grad: false, minus)).map {
        ($0 - $1) / (2 * h)
      }
      assertClose(
        run(act, grad: true, x), slope, tolerance: 1e-7, floor: 1, "\(act)' vs differences")
    }
  }
}
