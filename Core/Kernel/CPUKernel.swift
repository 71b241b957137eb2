/// The CPU tensor kernel: one implementation per process, for float32 and float64.
///
/// Two ways in, with the same semantics and the same checks:
/// - `table(errors:)`, the C function table (`EQP_HostKernelApi`) the host hands to plugins;
/// - the static functions (`gemm`, `activate`, ...), which the host may call directly. They take
///   the C arguments (dtype codes, row-major raw pointers, Int sizes) and throw `KernelError`
///   with the sentence the table would put in the error sink.
///
/// Every op validates its arguments before touching memory and never traps. Only the
/// convolutions need scratch memory; they take it from `ScratchPool`, which allocates on a
/// call only when no free buffer is large enough, so a step loop allocates nothing after its
/// first step. Ops are thread-safe: they may run concurrently on disjoint outputs. GEMM is
/// OpenBLAS's (convolutions go through it by im2col); the elementwise ops, activations and
/// pooling are vectorised or plain Swift (SIMD8<Float>, SIMD4<Double>).
public enum CPUKernel {}

extension UnsafeRawPointer {
  @inline(__always)
  func typed<T>(_: T.Type) -> UnsafePointer<T> { assumingMemoryBound(to: T.self) }
}

extension UnsafeMutableRawPointer {
  @inline(__always)
  func typed<T>(_: T.Type) -> UnsafeMutablePointer<T> { assumingMemoryBound(to: T.self) }
}
