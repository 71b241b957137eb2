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
    let m, n, k, lda, ldb, ldc: Int32

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

  static func run(
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
