@preconcurrency import CEqprop
import EqpropKernel

/// The host's own calls into the kernel table, for one dtype, as throwing Swift.
struct KernelAccess {
  let dtype: UInt32
  let table: EQP_HostKernelApi

  init(dtype: UInt32) {
    self.dtype = dtype
    table = HostTables.api.pointee.kernel.pointee
  }

  private func check(_ status: EQP_Status, _ sink: ErrorSink, _ op: String) throws(PluginFailure) {
    if status != EQP_Status(EQP_OK) { throw PluginFailure("kernel.\(op): \(sink.describe(status))") }
  }

  func axpby(
    _ count: Int, _ alpha: Double, _ x: UnsafeRawPointer?, _ beta: Double, _ y: UnsafeMutableRawPointer?
  ) throws(PluginFailure) {
    let sink = ErrorSink()
    try check(table.axpby(dtype, Int64(count), alpha, x, beta, y, sink.pointer), sink, "axpby")
  }

  func countNonFinite(_ count: Int, _ x: UnsafeRawPointer?) throws(PluginFailure) -> Int64 {
    let sink = ErrorSink()
    var found: Int64 = 0
    try check(table.count_nonfinite(dtype, Int64(count), x, &found, sink.pointer), sink, "count_nonfinite")
    return found
  }

  func argmaxRows(_ rows: Int, _ cols: Int, _ x: UnsafeRawPointer?, _ out: UnsafeMutablePointer<Int64>)
    throws(PluginFailure)
  {
    let sink = ErrorSink()
    try check(table.argmax_rows(dtype, Int64(rows), Int64(cols), x, out, sink.pointer), sink, "argmax_rows")
  }
}
