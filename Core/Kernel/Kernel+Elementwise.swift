extension CPUKernel {
  /// y = alpha · x + beta · y over n elements; beta = 0 ignores y's old contents (NaN too).
  public static func axpby(
    dtype: UInt32, n: Int, alpha: Double, x: UnsafeRawPointer?, beta: Double,
    y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "axpby")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, type)
    try check.pointer("y", y, used: n > 0, type)
    guard n > 0, let x, let y else { return }
    // θ-sized updates (the optimizer's) are memory-bound: two cores move more bytes.
    WorkerPool.forEachRange(n, parallel: n >= Elementwise.parallelElements) { _, range in
      let (start, count) = (range.lowerBound, range.count)
      switch type {
      case .f32:
        Elementwise.axpby(
          count, Float(alpha), x.typed(Float.self) + start, Float(beta), y.typed(Float.self) + start
        )
      case .f64:
        Elementwise.axpby(
          count, alpha, x.typed(Double.self) + start, beta, y.typed(Double.self) + start)
      }
    }
  }

  /// z = x ⊙ y over n elements; any of them may be the same array.
  public static func mul(
    dtype: UInt32, n: Int, x: UnsafeRawPointer?, y: UnsafeRawPointer?,
    z: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "mul")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, type)
    try check.pointer("y", y, used: n > 0, type)
    try check.pointer("z", z, used: n > 0, type)
    guard n > 0, let x, let y, let z else { return }
    switch type {
    case .f32: VectorLoop.map(n, x.typed(Float.self), y.typed(Float.self), z.typed(Float.self), *)
    case .f64:
      VectorLoop.map(n, x.typed(Double.self), y.typed(Double.self), z.typed(Double.self), *)
    }
  }

  /// y[r, :] += alpha · v for each of `rows` contiguous rows of length cols (bias broadcast).
  public static func addRowVector(
    dtype: UInt32, rows: Int, cols: Int, alpha: Double, v: UnsafeRawPointer?,
    y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "add_row_vector")
    let type = try check.dtype(dtype)
    try check.count("rows", rows)
    try check.count("cols", cols)
    let total = try check.product(rows, cols, names: "rows × cols")
    try check.pointer("v", v, used: total > 0, type)
    try check.pointer("y", y, used: total > 0, type)
    guard total > 0, let v, let y else { return }
    switch type {
    case .f32:
      Elementwise.addRowVector(rows, cols, Float(alpha), v.typed(Float.self), y.typed(Float.self))
    case .f64:
      Elementwise.addRowVector(rows, cols, alpha, v.typed(Double.self), y.typed(Double.self))
    }
  }

  /// x = clamp(x, low, high) over n elements; NaN elements stay NaN. Needs low ≤ high.
  /// y = 1 where low < x < high, 0 elsewhere, NaN where x is NaN (the derivative of clip).
  public static func interiorMask(
    dtype: UInt32, n: Int, low: Double, high: Double, x: UnsafeRawPointer?,
    y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "interior_mask")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.interval(low: low, high: high)
    try check.pointer("x", x, used: n > 0, type)
    try check.pointer("y", y, used: n > 0, type)
    guard n > 0, let x, let y else { return }
    switch type {
    case .f32:
      Elementwise.interiorMask(n, Float(low), Float(high), x.typed(Float.self), y.typed(Float.self))
    case .f64: Elementwise.interiorMask(n, low, high, x.typed(Double.self), y.typed(Double.self))
    }
  }

  public static func clip(
    dtype: UInt32, n: Int, low: Double, high: Double, x: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "clip")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.interval(low: low, high: high)
    try check.pointer("x", x, used: n > 0, type)
    guard n > 0, let x else { return }
    switch type {
    case .f32: Elementwise.clip(n, Float(low), Float(high), x.typed(Float.self))
    case .f64: Elementwise.clip(n, low, high, x.typed(Double.self))
    }
  }

  /// x[i] = value over n elements.
  public static func fill(dtype: UInt32, n: Int, value: Double, x: UnsafeMutableRawPointer?)
    throws(KernelError)
  {
    let check = Check(op: "fill")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, type)
    guard n > 0, let x else { return }
    switch type {
    case .f32: x.typed(Float.self).update(repeating: Float(value), count: n)
    case .f64: x.typed(Double.self).update(repeating: value, count: n)
    }
  }

  /// y = x over n elements, converted when the dtypes differ (f32 ↔ f64, rounding to nearest).
  ///
  /// With equal dtypes the arrays may overlap (it is a memmove); otherwise they must not.
  public static func convert(
    xDtype: UInt32, x: UnsafeRawPointer?, yDtype: UInt32, y: UnsafeMutableRawPointer?, n: Int
  ) throws(KernelError) {
    let check = Check(op: "convert")
    let xType = try check.dtype(xDtype, name: "x_dtype")
    let yType = try check.dtype(yDtype, name: "y_dtype")
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, xType)
    try check.pointer("y", y, used: n > 0, yType)
    guard n > 0, let x, let y else { return }
    switch (xType, yType) {
    case (.f32, .f64): Elementwise.convert(n, x.typed(Float.self), y.typed(Double.self))
    case (.f64, .f32): Elementwise.convert(n, x.typed(Double.self), y.typed(Float.self))
    case (.f32, .f32), (.f64, .f64): y.copyMemory(from: x, byteCount: n * xType.size)
    }
  }
}

/// The typed loops behind the elementwise ops.
enum Elementwise {
  /// Memory-bound loops over at least this many elements are split across the kernel's threads.
  static let parallelElements = 1 << 16

  static func axpby<T: KernelFloat>(
    _ n: Int, _ alpha: T, _ x: UnsafePointer<T>, _ beta: T, _ y: UnsafeMutablePointer<T>
  ) {
    if beta == 0 {
      VectorLoop.map(n, x, y) { a in a * alpha }
    } else {
      VectorLoop.map(n, x, UnsafePointer(y), y) { a, b in a * alpha + b * beta }
    }
  }

  static func addRowVector<T: KernelFloat>(
    _ rows: Int, _ cols: Int, _ alpha: T, _ v: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>
  ) {
    for r in 0..<rows {
      let row = y + r * cols
      VectorLoop.map(cols, UnsafePointer(row), v, row) { a, b in a + b * alpha }
    }
  }

  /// A scalar loop: only the backward passes of BPTT and RBP use it.
  static func interiorMask<T: KernelFloat>(
    _ n: Int, _ low: T, _ high: T, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>
  ) {
    for i in 0..<n {
      let value = x[i]
      y[i] = value.isNaN ? value : (low < value && value < high ? 1 : 0)
    }
  }

  static func clip<T: KernelFloat>(_ n: Int, _ low: T, _ high: T, _ x: UnsafeMutablePointer<T>) {
    let low = T.Vector(repeating: low)
    let high = T.Vector(repeating: high)
    VectorLoop.map(n, UnsafePointer(x), x) { a in clamp(a, low: low, high: high) }
  }

  /// a clamped to [low, high]; NaN lanes stay NaN.
  @inline(__always)
  static func clamp<V: SIMD>(_ a: V, low: V, high: V) -> V
  where V.Scalar: KernelFloat, V.Scalar.Vector == V {
    a.replacing(with: low, where: V.Scalar.lanes(a, lessThan: low))
      .replacing(with: high, where: V.Scalar.lanes(high, lessThan: a))
  }

  /// A plain loop: the optimiser vectorises it (cvtps2pd / cvtpd2ps).
  static func convert<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
    _ n: Int, _ x: UnsafePointer<X>, _ y: UnsafeMutablePointer<Y>
  ) {
    for i in 0..<n { y[i] = Y(x[i]) }
  }
}
