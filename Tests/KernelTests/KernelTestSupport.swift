@preconcurrency import CEqprop
@testable import EqpropKernel
import XCTest

/// The kernel table under test. Taken without `CPUKernel.table(errors:)`, which would make a
/// fake error api the process's for good: the host's tests share this process, and each api
/// can write only the sinks it made. Calls here pass a NULL sink and check status codes; the
/// sentences are checked through the Swift entry points and `forward` (ValidationTests).
var kernel: EQP_HostKernelApi { CPUKernel.sharedTable.pointee }

/// Fails the test unless status is EQP_OK.
func expectOK(_ status: EQP_Status?, file: StaticString = #filePath, line: UInt = #line) {
  XCTAssertEqual(status, EQP_Status(EQP_OK), file: file, line: line)
}

/// A float type under test, with its dtype code and the relative tolerance its results meet.
protocol TestFloat: BinaryFloatingPoint, BitwiseCopyable {
  static var dtype: UInt32 { get }
  /// Relative error allowed against the Double reference (a few ulp plus rounding of sums).
  static var tolerance: Double { get }
}

extension Float: TestFloat {
  static var dtype: UInt32 { UInt32(EQP_DTYPE_F32) }
  static var tolerance: Double { 1e-5 }
}

extension Double: TestFloat {
  static var dtype: UInt32 { UInt32(EQP_DTYPE_F64) }
  static var tolerance: Double { 1e-12 }
}

/// SplitMix64: a seeded, reproducible stream of test inputs.
struct TestRandom {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [low, high).
  mutating func uniform(_ low: Double, _ high: Double) -> Double {
    low + (high - low) * Double(next() >> 11) / Double(1 << 53)
  }

  /// count values uniform in [low, high), rounded to T.
  mutating func array<T: BinaryFloatingPoint>(
    _ count: Int, _ low: Double = -1, _ high: Double = 1, as _: T.Type = T.self
  ) -> [T] {
    (0..<count).map { _ in T(uniform(low, high)) }
  }
}

/// Sizes that exercise empty, single, odd and non-multiple-of-vector cases.
let oddSizes = [0, 1, 3, 7, 8, 9, 33, 100]

/// Asserts |got − want| ≤ tolerance · scale elementwise, where scale is max(|want|, floor) or
/// the given per-element bound; NaN must meet NaN.
func assertClose<T: BinaryFloatingPoint>(
  _ got: [T], _ want: [T], tolerance: Double, scale: [Double]? = nil, floor: Double = 1e-300,
  _ what: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(got.count, want.count, what(), file: file, line: line)
  for i in 0..<min(got.count, want.count) {
    let g = Double(got[i])
    let w = Double(want[i])
    if g.isNaN || w.isNaN {
      XCTAssert(
        g.isNaN && w.isNaN, "\(what()): [\(i)] is \(g), expected \(w)", file: file,
        line: line)
      return
    }
    if g == w { continue }
    let bound = tolerance * (scale?[i] ?? max(abs(w), floor))
    if !(abs(g - w) <= bound) {
      XCTFail(
        "\(what()): [\(i)] is \(g), expected \(w) (error \(abs(g - w)) > \(bound))",
        file: file, line: line)
      return
    }
  }
}
