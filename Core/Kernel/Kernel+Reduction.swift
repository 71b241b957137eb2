extension CPUKernel {
  /// v = alpha · Σ_r x[r, :] + beta · v, x rows×cols contiguous; beta = 0 ignores v's old
  /// contents. Sums in the dtype (float32 for f32), rows in order.
  public static func sumRows(
    dtype: UInt32, rows: Int, cols: Int, alpha: Double, x: UnsafeRawPointer?, beta: Double,
    v: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "sum_rows")
    let type = try check.dtype(dtype)
    try check.count("rows", rows)
    try check.count("cols", cols)
    let total = try check.product(rows, cols, names: "rows × cols")
    try check.pointer("x", x, used: total > 0, type)
    try check.pointer("v", v, used: cols > 0, type)
    guard cols > 0, let v else { return }
    // With no rows x is never read, so NULL is fine; any valid address stands in for it.
    let x = x ?? UnsafeRawPointer(v)
    switch type {
    case .f32:
      Reduction.sumRows(
        rows, cols, Float(alpha), x.typed(Float.self), Float(beta), v.typed(Float.self))
    case .f64:
      Reduction.sumRows(rows, cols, alpha, x.typed(Double.self), beta, v.typed(Double.self))
    }
  }

  /// Σ x ⊙ y over n elements, products and sums in double.
  public static func dot(dtype: UInt32, n: Int, x: UnsafeRawPointer?, y: UnsafeRawPointer?)
    throws(KernelError) -> Double
  {
    let check = Check(op: "dot")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, type)
    try check.pointer("y", y, used: n > 0, type)
    guard n > 0, let x, let y else { return 0 }
    switch type {
    case .f32: return Reduction.dot(n, x.typed(Float.self), y.typed(Float.self))
    case .f64: return Reduction.dot(n, x.typed(Double.self), y.typed(Double.self))
    }
  }

  /// max |x − y| over n elements: 0 for n = 0, NaN when any difference is NaN.
  public static func maxAbsDiff(
    dtype: UInt32, n: Int, x: UnsafeRawPointer?, y: UnsafeRawPointer?
  ) throws(KernelError) -> Double {
    let check = Check(op: "max_abs_diff")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, type)
    try check.pointer("y", y, used: n > 0, type)
    guard n > 0, let x, let y else { return 0 }
    switch type {
    case .f32: return Reduction.maxAbsDiff(n, x.typed(Float.self), y.typed(Float.self))
    case .f64: return Reduction.maxAbsDiff(n, x.typed(Double.self), y.typed(Double.self))
    }
  }

  /// out[r] = the index of the first maximum of row r of x (rows×cols, contiguous).
  ///
  /// A row that holds NaN gives the index of its first NaN, so a diverged prediction is never
  /// mistaken for a class. out is host memory of `rows` Int64s; cols must be ≥ 1 when
  /// rows > 0.
  public static func argmaxRows(
    dtype: UInt32, rows: Int, cols: Int, x: UnsafeRawPointer?, out: UnsafeMutablePointer<Int64>?
  ) throws(KernelError) {
    let check = Check(op: "argmax_rows")
    let type = try check.dtype(dtype)
    try check.count("rows", rows)
    if rows > 0, cols < 1 {
      throw .invalid("kernel.argmax_rows: cols is \(cols), must be at least 1 when rows > 0")
    }
    let total = try check.product(rows, cols, names: "rows × cols")
    try check.pointer("x", x, used: total > 0, type)
    try check.pointer("out", out, used: rows > 0, alignment: MemoryLayout<Int64>.alignment)
    guard rows > 0, let x, let out else { return }
    switch type {
    case .f32: Reduction.argmaxRows(rows, cols, x.typed(Float.self), out)
    case .f64: Reduction.argmaxRows(rows, cols, x.typed(Double.self), out)
    }
  }

  /// The number of NaN or infinite elements among n.
  public static func countNonfinite(dtype: UInt32, n: Int, x: UnsafeRawPointer?)
    throws(KernelError) -> Int64
  {
    let check = Check(op: "count_nonfinite")
    let type = try check.dtype(dtype)
    try check.count("n", n)
    try check.pointer("x", x, used: n > 0, type)
    guard n > 0, let x else { return 0 }
    switch type {
    case .f32: return Reduction.countNonfinite(n, x.typed(Float.self))
    case .f64: return Reduction.countNonfinite(n, x.typed(Double.self))
    }
  }
}

/// The typed loops behind the reductions.
enum Reduction {
  static func sumRows<T: KernelFloat>(
    _ rows: Int, _ cols: Int, _ alpha: T, _ x: UnsafePointer<T>, _ beta: T,
    _ v: UnsafeMutablePointer<T>
  ) {
    // One vector of columns at a time, down all rows, so each sum stays in a register.
    let width = T.Vector.scalarCount
    var j = 0
    while j < cols {
      let lanes = min(width, cols - j)
      var sum = T.Vector()
      for r in 0..<rows {
        let row = x + r * cols + j
        sum += lanes == width ? row.vector(at: 0) : row.partialVector(at: 0, count: lanes)
      }
      var result = sum * alpha
      if beta != 0 {
        let old =
          lanes == width
          ? UnsafePointer(v).vector(at: j)
          : UnsafePointer(v).partialVector(at: j, count: lanes)
        result += old * beta
      }
      if lanes == width {
        v.store(result, at: j)
      } else {
        v.storePartial(result, at: j, count: lanes)
      }
      j += lanes
    }
  }

  /// Σ x ⊙ y for Float, each product and sum in Double. (OpenBLAS 0.3.21's cblas_dsdot does not
  /// accumulate in double: 2^24 · 2^24 + 1000 · 1 came out 31 short.)
  static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Double {
    var low = SIMD4<Double>()
    var high = SIMD4<Double>()
    var i = 0
    while i + 8 <= n {
      let a = x.vector(at: i)
      let b = y.vector(at: i)
      low += SIMD4<Double>(a.lowHalf) * SIMD4<Double>(b.lowHalf)
      high += SIMD4<Double>(a.highHalf) * SIMD4<Double>(b.highHalf)
      i += 8
    }
    var sum = (low + high).sum()
    while i < n {
      sum += Double(x[i]) * Double(y[i])
      i += 1
    }
    return sum
  }

  /// Σ x ⊙ y for Double, in two interleaved vector sums.
  static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
    var even = SIMD4<Double>()
    var odd = SIMD4<Double>()
    var i = 0
    while i + 8 <= n {
      even += x.vector(at: i) * y.vector(at: i)
      odd += x.vector(at: i + 4) * y.vector(at: i + 4)
      i += 8
    }
    var sum = (even + odd).sum()
    while i < n {
      sum += x[i] * y[i]
      i += 1
    }
    return sum
  }

  static func maxAbsDiff<T: KernelFloat>(_ n: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>)
    -> Double
  {
    var largest = T.Vector()
    var sawNaN = SIMDMask<T.Vector.MaskStorage>()
    VectorLoop.forEach(n, x, y) { a, b in
      let d = a - b
      let magnitude = d.replacing(with: -d, where: T.lanes(d, lessThan: T.Vector()))
      largest = largest.replacing(with: magnitude, where: T.lanes(largest, lessThan: magnitude))
      sawNaN .|= T.nanLanes(magnitude)
    }
    return any(sawNaN) ? .nan : Double(largest.max())
  }

  static func argmaxRows<T: KernelFloat>(
    _ rows: Int, _ cols: Int, _ x: UnsafePointer<T>, _ out: UnsafeMutablePointer<Int64>
  ) {
    for r in 0..<rows {
      let row = x + r * cols
      var best = row[0]
      var index = 0
      for j in 0..<cols {
        let value = row[j]
        if value.isNaN {
          index = j
          break
        }
        if value > best {
          best = value
          index = j
        }
      }
      out[r] = Int64(index)
    }
  }

  static func countNonfinite<T: KernelFloat>(_ n: Int, _ x: UnsafePointer<T>) -> Int64 {
    // Runs at every phase end and after every update of θ, where the answer is almost always
    // 0: a fast probe first, the exact count only when it finds something.
    guard !allFinite(n, x) else { return 0 }
    // x − x is 0 for finite x and NaN for ±inf and NaN. Lane counts are kept in T, exact up to
    // 2^24 in Float, so blocks of 2^20 elements are added into an Int64 one at a time.
    let block = 1 << 20
    var total: Int64 = 0
    var start = 0
    while start < n {
      let count = min(block, n - start)
      var lanes = T.Vector()
      VectorLoop.forEach(count, x + start) { a in
        lanes = lanes.replacing(with: lanes + 1, where: T.nanLanes(a - a))
      }
      total += Int64(lanes.sum())
      start += count
    }
    return total
  }

  /// Whether every element is finite: Σ (x − x) is 0, or NaN as soon as one x is NaN or ±inf.
  /// Four independent sums keep the adds from waiting on each other, and large arrays (θ)
  /// are split across the kernel's threads, each summing a range into a slot of its own.
  static func allFinite<T: KernelFloat>(_ n: Int, _ x: UnsafePointer<T>) -> Bool {
    let threads = WorkerPool.threads
    return withUnsafeTemporaryAllocation(of: Bool.self, capacity: threads) { finite in
      finite.initialize(repeating: true)
      WorkerPool.forEachRange(n, parallel: n >= Elementwise.parallelElements) { part, range in
        let start = x + range.lowerBound
        let count = range.count
        let width = T.Vector.scalarCount
        var (s0, s1, s2, s3) = (T.Vector(), T.Vector(), T.Vector(), T.Vector())
        var i = 0
        while i + 4 * width <= count {
          let (a, b) = (start.vector(at: i), start.vector(at: i + width))
          let (c, d) = (start.vector(at: i + 2 * width), start.vector(at: i + 3 * width))
          s0 += a - a
          s1 += b - b
          s2 += c - c
          s3 += d - d
          i += 4 * width
        }
        VectorLoop.forEach(count - i, start + i) { a in s0 += a - a }
        finite[part] = ((s0 + s1) + (s2 + s3)).sum() == 0
      }
      return finite.allSatisfy { $0 }
    }
  }
}
