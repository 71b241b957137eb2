/// The CPU tensor kernel: one implementation per process, for float32 and float64.
///
/// Two ways in, with the same semantics and the same checks:
/// - `table(errors:)`, the C function table (`EQP_HostKernelApi`) the host hands to plugins;
/// - the static functions (`gemm`, `activate`, ...), which the host may call directly. They take
///   the C arguments (dtype codes, row-major raw pointers, Int sizes) and throw `KernelError`
///   with the sentence the table would put in the error sink.
///
/// Every op validates its arguments before touching memory, never traps and never allocates.
/// Ops are thread-safe: they may run concurrently on disjoint outputs. GEMM is OpenBLAS's; the
/// elementwise ops and activations are vectorised Swift (SIMD8<Float>, SIMD4<Double>).
public enum CPUKernel {}

extension UnsafeRawPointer {
  @inline(__always)
  func typed<T>(_: T.Type) -> UnsafePointer<T> { assumingMemoryBound(to: T.self) }
}

extension UnsafeMutableRawPointer {
  @inline(__always)
  func typed<T>(_: T.Type) -> UnsafeMutablePointer<T> { assumingMemoryBound(to: T.self) }
}
