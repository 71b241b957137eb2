@preconcurrency import CEqprop

/// The element types the CPU kernel computes in.
enum DType {
  case f32, f64

  var size: Int {
    switch self {
    case .f32: MemoryLayout<Float>.size
    case .f64: MemoryLayout<Double>.size
    }
  }
}

/// Argument checks of one op; every failure is a sentence that starts with "kernel.<op>:".
///
/// The checks run before any memory is touched, so a refused call changes nothing. They cost a
/// few comparisons; messages are built only on failure.
struct Check {
  let op: StaticString

  private func fail(_ text: String) -> KernelError { .invalid("kernel.\(op): \(text)") }

  /// The dtype. 0 is never a dtype (INVALID_ARGUMENT); integer and unknown (newer) dtypes are
  /// valid elsewhere but not computed here (UNSUPPORTED).
  func dtype(_ raw: UInt32, name: String = "dtype") throws(KernelError) -> DType {
    switch Int(raw) {
    case EQP_DTYPE_F32: return .f32
    case EQP_DTYPE_F64: return .f64
    default:
      let text =
        "kernel.\(op): \(name) is \(raw) (\(Check.dtypeName(raw))), must be EQP_DTYPE_F32 (1) "
        + "or EQP_DTYPE_F64 (2)"
      throw Int(raw) == EQP_DTYPE_INVALID ? .invalid(text) : .unsupported(text)
    }
  }

  private static func dtypeName(_ raw: UInt32) -> String {
    switch Int(raw) {
    case EQP_DTYPE_INVALID: "EQP_DTYPE_INVALID"
    case EQP_DTYPE_I32: "EQP_DTYPE_I32"
    case EQP_DTYPE_I64: "EQP_DTYPE_I64"
    case EQP_DTYPE_U8: "EQP_DTYPE_U8"
    default: "unknown"
    }
  }

  /// The activation; UNSUPPORTED for a positive code this kernel does not know (a newer minor).
  func activation(_ raw: Int32) throws(KernelError) -> Activation {
    if let act = Activation(rawValue: raw) { return act }
    let expected = "an EQP_ACT_* constant (1 to \(Activation.allCases.count))"
    if raw > 0 { throw .unsupported("kernel.\(op): act is \(raw), must be \(expected)") }
    throw fail("act is \(raw), must be \(expected)")
  }

  /// A size: rows, columns or element count.
  func count(_ name: String, _ value: Int) throws(KernelError) {
    if value < 0 { throw fail("\(name) is \(value), must be at least 0") }
  }

  /// rows · cols, refused when it overflows.
  func product(_ rows: Int, _ cols: Int, names: String) throws(KernelError) -> Int {
    let (total, overflow) = rows.multipliedReportingOverflow(by: cols)
    if overflow { throw fail("\(names) is \(rows) × \(cols), which overflows 64 bits") }
    return total
  }

  /// A data pointer: non-NULL when it is read or written, and aligned to its element.
  func pointer(_ name: String, _ p: UnsafeRawPointer?, used: Bool, _ dtype: DType)
    throws(KernelError)
  {
    try pointer(name, p, used: used, alignment: dtype.size)
  }

  /// A pointer to elements of `alignment` bytes: non-NULL when used, and aligned.
  func pointer(_ name: String, _ p: UnsafeRawPointer?, used: Bool, alignment: Int)
    throws(KernelError)
  {
    guard used else { return }
    guard let p else { throw fail("\(name) is NULL, must point to the data") }
    if Int(bitPattern: p) % alignment != 0 {
      throw fail("\(name) is \(p), must be aligned to \(alignment) bytes")
    }
  }

  /// A leading dimension (row stride in elements): at least the stored row's length.
  func leadingDimension(_ name: String, _ ld: Int, atLeast rowLength: Int, _ why: String)
    throws(KernelError)
  {
    if ld < rowLength { throw fail("\(name) is \(ld), must be at least \(rowLength) (\(why))") }
  }

  /// A size that BLAS takes as a 32-bit int.
  func blasInt(_ name: String, _ value: Int) throws(KernelError) -> Int32 {
    guard let narrow = Int32(exactly: value) else {
      throw .unsupported(
        "kernel.\(op): \(name) is \(value), must be at most \(Int32.max) (BLAS's int)")
    }
    return narrow
  }

  /// A clip interval: low ≤ high, neither NaN.
  func interval(low: Double, high: Double) throws(KernelError) {
    if !(low <= high) { throw fail("low is \(low) and high \(high), must have low ≤ high") }
  }
}
