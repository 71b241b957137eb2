import COpenBLAS

extension CPUKernel {
  /// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major, op(X) = Xᵀ when trans is nonzero.
  ///
  /// lda, ldb and ldc are row strides in elements: A is stored m×k (k×m when transposed), B
  /// k×n (n×k), C m×n. m, n or k may be 0; k = 0 gives C = beta · C. With beta = 0, C's old
  /// contents (NaN included) are not read. C must not overlap A or B. Computed by OpenBLAS
  /// (cblas_sgemm, cblas_dgemm), so sizes and leading dimensions must fit in 32 bits.
  public static func gemm(
    dtype: UInt32, transA: Int32, transB: Int32, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafeRawPointer?, lda: Int, b: UnsafeRawPointer?, ldb: Int, beta: Double,
    c: UnsafeMutableRawPointer?, ldc: Int
  ) throws(KernelError) {
    let check = Check(op: "gemm")
    let type = try check.dtype(dtype)
    try check.count("m", m)
    try check.count("n", n)
    try check.count("k", k)
    let transA = transA != 0
    let transB = transB != 0
    try check.leadingDimension(
      "lda", lda, atLeast: transA ? m : k,
      transA ? "m for a transposed A" : "k for a non-transposed A")
    try check.leadingDimension(
      "ldb", ldb, atLeast: transB ? k : n,
      transB ? "k for a transposed B" : "n for a non-transposed B")
    try check.leadingDimension("ldc", ldc, atLeast: n, "n")
    try check.pointer("a", a, used: m > 0 && k > 0, type)
    try check.pointer("b", b, used: k > 0 && n > 0, type)
    try check.pointer("c", c, used: m > 0 && n > 0, type)
    let shape = try Gemm.Shape(
      check, transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
    guard m > 0, n > 0, let c else { return }
    Gemm.run(type, shape, alpha: alpha, a: a, b: b, beta: beta, c: c)
  }

  /// C[m×n] += alpha · Σ_b a[b, :]ᵀ b[b, :], with a batch×m and b batch×n, all contiguous.
  ///
  /// The Hebbian term of EP: one GEMM with a transposed A. batch = 0 leaves C unchanged.
  public static func outerAcc(
    dtype: UInt32, batch: Int, m: Int, n: Int, alpha: Double, a: UnsafeRawPointer?,
    b: UnsafeRawPointer?, c: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "outer_acc")
    let type = try check.dtype(dtype)
    try check.count("batch", batch)
    try check.count("m", m)
    try check.count("n", n)
    try check.pointer("a", a, used: batch > 0 && m > 0, type)
    try check.pointer("b", b, used: batch > 0 && n > 0, type)
    try check.pointer("c", c, used: m > 0 && n > 0, type)
    let shape = try Gemm.Shape(
      check, transA: true, transB: false, m: m, n: n, k: batch, lda: m, ldb: n, ldc: n)
    guard m > 0, n > 0, let c else { return }
    Gemm.run(type, shape, alpha: alpha, a: a, b: b, beta: 1, c: c)
  }
}

/// The OpenBLAS call behind gemm and outer_acc.
enum Gemm {
  /// Sizes checked to fit BLAS's 32-bit int.
  struct Shape {
    let transA: CBLAS_TRANSPOSE
    let transB: CBLAS_TRANSPOSE
    var m, n: Int32
    let k, lda, ldb, ldc: Int32

    /// Leading dimensions of 0 (allowed for empty rows) become 1, which BLAS requires and
    /// which is never used to address memory when the rows are empty.
    init(
      _ check: Check, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int,
      ldc: Int
    ) throws(KernelError) {
      self.transA = transA ? CblasTrans : CblasNoTrans
      self.transB = transB ? CblasTrans : CblasNoTrans
      self.m = try check.blasInt("m", m)
      self.n = try check.blasInt("n", n)
      self.k = try check.blasInt("k", k)
      self.lda = try check.blasInt("lda", max(lda, 1))
      self.ldb = try check.blasInt("ldb", max(ldb, 1))
      self.ldc = try check.blasInt("ldc", max(ldc, 1))
    }
  }

  /// Splits C into column blocks (row blocks when it has few columns) across the kernel's
  /// threads when the product is large enough to pay for it; each block is one BLAS call on
  /// one thread, so a block's values do not depend on how many threads there are.
  static func run(
    _ type: DType, _ s: Shape, alpha: Double, a: UnsafeRawPointer?, b: UnsafeRawPointer?,
    beta: Double, c: UnsafeMutableRawPointer
  ) {
    let split = Split(
      m: Int(s.m), n: Int(s.n), k: Int(s.k), transA: s.transA == CblasTrans,
      threads: WorkerPool.threads)
    guard split.parts > 1 else {
      runBlock(type, s, alpha: alpha, a: a, b: b, beta: beta, c: c)
      return
    }
    let size = type.size
    WorkerPool.run(parts: split.parts) { part in
      let range = split.range(part)
      var block = s
      var a = a
      var b = b
      var c = c
      if split.columns {
        block.n = Int32(range.count)
        // B's columns are its rows when it is transposed.
        b = b.map { $0 + range.lowerBound * (s.transB == CblasTrans ? Int(s.ldb) : 1) * size }
        c += range.lowerBound * size
      } else {
        block.m = Int32(range.count)
        a = a.map { $0 + range.lowerBound * (s.transA == CblasTrans ? 1 : Int(s.lda)) * size }
        c += range.lowerBound * Int(s.ldc) * size
      }
      runBlock(type, block, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }
  }

  /// How a product is cut into parts: along n in blocks of whole 16-column panels (OpenBLAS's
  /// micro-kernels work on such panels), or along m when n is too narrow or A is transposed
  /// with enough rows: the Hebbian aᵀb, where row blocks measured 1.1–2.7 times faster on
  /// EP's shapes (512×512 and 512×784 over batch 20).
  struct Split {
    /// Products under this many flops run on one thread: a job's hand-off costs about a
    /// microsecond, 1 MFLOP about ten.
    static let minimumFlops = 1_000_000.0
    let columns: Bool
    let length: Int
    let chunk: Int
    let parts: Int

    init(m: Int, n: Int, k: Int, transA: Bool, threads: Int) {
      let flops = 2 * Double(m) * Double(n) * Double(k)
      columns = n >= 32 * threads && !(transA && m >= 32 * threads)
      length = columns ? n : m
      let grain = columns ? 16 : 4
      guard threads > 1, flops >= Self.minimumFlops, length >= 2 * grain else {
        (chunk, parts) = (length, 1)
        return
      }
      let perThread = (length + threads - 1) / threads
      chunk = (perThread + grain - 1) / grain * grain
      parts = (length + chunk - 1) / chunk
    }

    func range(_ part: Int) -> Range<Int> { part * chunk..<min(length, (part + 1) * chunk) }
  }

  private static func runBlock(
    _ type: DType, _ s: Shape, alpha: Double, a: UnsafeRawPointer?, b: UnsafeRawPointer?,
    beta: Double, c: UnsafeMutableRawPointer
  ) {
    switch type {
    case .f32:
      cblas_sgemm(
        CblasRowMajor, s.transA, s.transB, s.m, s.n, s.k, Float(alpha),
        a?.typed(Float.self), s.lda, b?.typed(Float.self), s.ldb, Float(beta),
        c.typed(Float.self), s.ldc)
    case .f64:
      cblas_dgemm(
        CblasRowMajor, s.transA, s.transB, s.m, s.n, s.k, alpha, a?.typed(Double.self), s.lda,
        b?.typed(Double.self), s.ldb, beta, c.typed(Double.self), s.ldc)
    }
  }
}
