@preconcurrency import CEqprop
import COpenBLAS
import EqpropKernel
import Foundation

/// GEMM throughput in float32 on EP's shapes through the host's kernel table (the path every
/// plugin takes) next to the raw cblas_sgemm call on the same buffers and threads, and the
/// square-sgemm peak of the same run, so that every figure also reads as a ratio.
public struct KernelBench {
  /// One product C[m×n] = op(A)·op(B), as the dense models issue it.
  public struct Shape: Sendable {
    public let name: String
    public let transA: Bool
    public let transB: Bool
    public let m: Int
    public let n: Int
    public let k: Int

    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
  }

  public struct Row: Sendable {
    public let shape: Shape
    /// GFLOP/s through host->kernel->gemm.
    public let kernel: Double
    /// GFLOP/s of cblas_sgemm on the same operands.
    public let raw: Double
  }

  public let repeats: Int
  /// Seconds each timed repeat lasts at least.
  public let minimum: Double

  public init(repeats: Int = 5, minimum: Double = 0.05) {
    self.repeats = repeats
    self.minimum = minimum
  }

  /// The layer products of P-1h/P-2h (784-512-512-10) at batch `batch`: s·Wᵀ towards the
  /// output, s·W back (the transposed use of the same matrix), and the Hebbian aᵀb; then
  /// P-conv's im2col products.
  public static func shapes(batch b: Int) -> [Shape] {
    [
      Shape(name: "x·W1xᵀ 784→512", transA: false, transB: true, m: b, n: 512, k: 784),
      Shape(name: "s·W12ᵀ 512→512", transA: false, transB: true, m: b, n: 512, k: 512),
      Shape(name: "s·W12 512→512 (ᵀ use)", transA: false, transB: false, m: b, n: 512, k: 512),
      Shape(name: "s·W01ᵀ 512→10", transA: false, transB: true, m: b, n: 10, k: 512),
      Shape(name: "s0·W01 10→512 (ᵀ use)", transA: false, transB: false, m: b, n: 512, k: 10),
      Shape(name: "Hebbian s1ᵀ·x 512×784", transA: true, transB: false, m: 512, n: 784, k: b),
      Shape(name: "Hebbian s1ᵀ·s2 512×512", transA: true, transB: false, m: 512, n: 512, k: b),
      // P-conv's C_1 (32 → 64 channels, 5×5, on 12×12 maps: 8×8 outputs) through im2col:
      // forward, the transposed convolution's columns, and the weight gradient.
      Shape(name: "conv C1 W·cols 64×800", transA: false, transB: false, m: 64, n: b * 64, k: 800),
      Shape(name: "conv C1 Wᵀ·y 800×64", transA: true, transB: false, m: 800, n: b * 64, k: 64),
      Shape(name: "conv C1 dy·colsᵀ", transA: false, transB: true, m: 64, n: 800, k: b * 64),
      // C_2 (1 → 32 channels on the 28×28 input: 24×24 outputs), once per batch.
      Shape(name: "conv C2 W·cols 32×25", transA: false, transB: false, m: 32, n: b * 576, k: 25),
    ]
  }

  /// GFLOP/s of cblas_sgemm on square matrices of `size`: the machine's reference peak.
  public func squarePeak(size: Int = 1024) -> Double {
    let shape = Shape(name: "square", transA: false, transB: false, m: size, n: size, k: size)
    let operands = Operands(shape)
    defer { operands.release() }
    let seconds = withOpenBLASThreads {
      Stopwatch.medians(repeats: repeats, minimum: minimum, [{ raw(shape, operands) }])[0]
    }
    return shape.flops / seconds / 1e9
  }

  /// Each shape through the kernel table and raw.
  public func run(_ shapes: [Shape]) throws(PluginFailure) -> [Row] {
    guard let gemm = HostTables.api.pointee.kernel.pointee.gemm else {
      throw PluginFailure("bench: the host's kernel table has no gemm")
    }
    let sink = ErrorSink()
    var rows: [Row] = []
    for shape in shapes {
      let operands = Operands(shape)
      defer { operands.release() }
      var failure: EQP_Status = EQP_Status(EQP_OK)
      let kernelCall = {
        let status = gemm(
          UInt32(EQP_DTYPE_F32), shape.transA ? 1 : 0, shape.transB ? 1 : 0, Int64(shape.m), Int64(shape.n),
          Int64(shape.k), 1, operands.a, Int64(operands.lda), operands.b, Int64(operands.ldb), 0, operands.c,
          Int64(shape.n), sink.pointer)
        if status != EQP_Status(EQP_OK) { failure = status }
      }
      // Not interleaved, unlike other figures: OpenBLAS's threads spin for about 0.1 s after
      // their last call, and would compete with the kernel's threads for the two cores.
      let kernel = Stopwatch.medians(repeats: repeats, minimum: minimum, [kernelCall])[0]
      guard failure == EQP_Status(EQP_OK) else {
        throw PluginFailure("bench: kernel.gemm on \(shape.name): \(sink.describe(failure))")
      }
      let raw = withOpenBLASThreads {
        Stopwatch.medians(repeats: repeats, minimum: minimum, [{ self.raw(shape, operands) }])[0]
      }
      rows.append(Row(shape: shape, kernel: shape.flops / kernel / 1e9, raw: shape.flops / raw / 1e9))
    }
    return rows
  }

  /// Runs `body` with OpenBLAS threaded on as many threads as the kernel uses (the kernel
  /// holds OpenBLAS at one thread and splits the work itself), then gives OpenBLAS's threads
  /// time to stop spinning before the kernel is timed again.
  private func withOpenBLASThreads<R>(_ body: () -> R) -> R {
    openblas_set_num_threads(Int32(WorkerPool.threads))
    let result = body()
    openblas_set_num_threads(1)
    // OpenBLAS spins about 0.1 s; a quick run (tiny --seconds, as in tests) pauses less.
    Thread.sleep(forTimeInterval: min(0.3, 20 * minimum))
    return result
  }

  private func raw(_ shape: Shape, _ operands: Operands) {
    cblas_sgemm(
      CblasRowMajor, shape.transA ? CblasTrans : CblasNoTrans, shape.transB ? CblasTrans : CblasNoTrans,
      Int32(shape.m), Int32(shape.n), Int32(shape.k), 1, operands.a, Int32(operands.lda), operands.b,
      Int32(operands.ldb), 0, operands.c, Int32(shape.n))
  }

  /// Row-major operands of a shape, filled with small values (no denormals, no NaN).
  private struct Operands {
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
    let c: UnsafeMutablePointer<Float>
    let lda: Int
    let ldb: Int

    init(_ s: Shape) {
      // op(A) is m×k: A is k×m when transposed; op(B) is k×n: B is n×k when transposed.
      lda = s.transA ? s.m : s.k
      ldb = s.transB ? s.k : s.n
      a = Self.filled(s.m * s.k)
      b = Self.filled(s.k * s.n)
      c = Self.filled(s.m * s.n)
    }

    static func filled(_ count: Int) -> UnsafeMutablePointer<Float> {
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
      for index in 0..<count { buffer[index] = Float(index % 17) / 17 - 0.5 }
      return buffer
    }

    func release() {
      a.deallocate()
      b.deallocate()
      c.deallocate()
    }
  }
}
