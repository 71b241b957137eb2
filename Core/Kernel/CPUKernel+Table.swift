@preconcurrency import CEqprop
import Synchronization

/// The host's `set` function: copies a message into a sink and returns the code.
typealias SetError =
  @convention(c) (OpaquePointer?, EQP_Status, UnsafePointer<CChar>?) -> EQP_Status

/// The error api's `set`, as the entries use it (nil when the api has none).
private struct Reporter {
  let set: SetError?
}

/// The reporter of the first `CPUKernel.table(errors:)` call; nil before it. Read only on the
/// error path, so the lock costs the hot path nothing.
private let installedReporter = Mutex<Reporter?>(nil)

extension CPUKernel {
  /// The C kernel table for `EQP_DEVICE_CPU`, valid for the rest of the process.
  ///
  /// The first call keeps `errors.set` (read only when `struct_size` reaches it) as the function
  /// every entry reports failures through; later calls return the same table and the first
  /// error api stays in use, because the entries are C functions that capture nothing and a
  /// sink (`EQP_Error *`) can only be written by the api that made it. A process has one host,
  /// hence one error api. Thread-safe.
  public static func table(errors: UnsafePointer<EQP_HostErrorApi>)
    -> UnsafePointer<EQP_HostKernelApi>
  {
    installedReporter.withLock { reporter in
      if reporter == nil { reporter = Reporter(set: setFunction(of: errors)) }
    }
    return sharedTable
  }

  /// The table, built on first use. Never changed after, hence `nonisolated(unsafe)`; until
  /// `table(errors:)` has run, failures return their code without a message.
  nonisolated(unsafe) static let sharedTable: UnsafePointer<EQP_HostKernelApi> = {
    let table = UnsafeMutablePointer<EQP_HostKernelApi>.allocate(capacity: 1)
    table.initialize(to: makeTable())
    return UnsafePointer(table)
  }()

  /// `errors.set` when the struct is long enough to hold it (the EQP_HAS rule).
  static func setFunction(of errors: UnsafePointer<EQP_HostErrorApi>) -> SetError? {
    guard let offset = MemoryLayout<EQP_HostErrorApi>.offset(of: \.set) else { return nil }
    let end = offset + MemoryLayout<SetError?>.size
    return errors.pointee.struct_size >= end ? errors.pointee.set : nil
  }
}

/// Runs an op and turns its KernelError into the status and the sink's message.
@inline(__always)
private func report(_ err: OpaquePointer?, _ op: () throws(KernelError) -> Void) -> EQP_Status {
  do {
    try op()
    return EQP_Status(EQP_OK)
  } catch {
    return forward(error, to: err, via: installedReporter.withLock { $0?.set })
  }
}

/// Puts the error's sentence into the sink through `set` and returns its code (only the code
/// when there is no `set`).
func forward(_ error: KernelError, to err: OpaquePointer?, via set: SetError?) -> EQP_Status {
  guard let set else { return error.code }
  return error.message.withCString { set(err, error.code, $0) }
}

/// Fills every entry: each converts the C arguments and forwards to the Swift op.
private func makeTable() -> EQP_HostKernelApi {
  var api = EQP_HostKernelApi()
  api.struct_size = EQP_HostKernelApi_STRUCT_SIZE
  api.device_type = Int32(EQP_DEVICE_CPU)
  api.gemm = { dtype, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.gemm(
        dtype: dtype, transA: transA, transB: transB, m: Int(m), n: Int(n), k: Int(k),
        alpha: alpha, a: a, lda: Int(lda), b: b, ldb: Int(ldb), beta: beta, c: c,
        ldc: Int(ldc))
    }
  }
  api.outer_acc = { dtype, batch, m, n, alpha, a, b, c, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.outerAcc(
        dtype: dtype, batch: Int(batch), m: Int(m), n: Int(n), alpha: alpha, a: a, b: b, c: c)
    }
  }
  api.activate = { dtype, act, n, x, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.activate(dtype: dtype, act: act, n: Int(n), x: x, y: y)
    }
  }
  api.activate_grad = { dtype, act, n, x, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.activateGrad(dtype: dtype, act: act, n: Int(n), x: x, y: y)
    }
  }
  api.axpby = { dtype, n, alpha, x, beta, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.axpby(dtype: dtype, n: Int(n), alpha: alpha, x: x, beta: beta, y: y)
    }
  }
  api.mul = { dtype, n, x, y, z, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.mul(dtype: dtype, n: Int(n), x: x, y: y, z: z)
    }
  }
  api.add_row_vector = { dtype, rows, cols, alpha, v, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.addRowVector(
        dtype: dtype, rows: Int(rows), cols: Int(cols), alpha: alpha, v: v, y: y)
    }
  }
  api.sum_rows = { dtype, rows, cols, alpha, x, beta, v, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.sumRows(
        dtype: dtype, rows: Int(rows), cols: Int(cols), alpha: alpha, x: x, beta: beta, v: v)
    }
  }
  api.interior_mask = { dtype, n, low, high, x, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.interiorMask(dtype: dtype, n: Int(n), low: low, high: high, x: x, y: y)
    }
  }
  api.clip = { dtype, n, low, high, x, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.clip(dtype: dtype, n: Int(n), low: low, high: high, x: x)
    }
  }
  api.fill = { dtype, n, value, x, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.fill(dtype: dtype, n: Int(n), value: value, x: x)
    }
  }
  api.convert = { xDtype, yDtype, n, x, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.convert(xDtype: xDtype, x: x, yDtype: yDtype, y: y, n: Int(n))
    }
  }
  // Results go to *out only on success: a refused call leaves out-parameters untouched.
  api.dot = { dtype, n, x, y, out, err in
    report(err) { () throws(KernelError) in
      let result = try CPUKernel.dot(dtype: dtype, n: Int(n), x: x, y: y)
      try store(result, to: out, op: "dot")
    }
  }
  api.max_abs_diff = { dtype, n, x, y, out, err in
    report(err) { () throws(KernelError) in
      let result = try CPUKernel.maxAbsDiff(dtype: dtype, n: Int(n), x: x, y: y)
      try store(result, to: out, op: "max_abs_diff")
    }
  }
  api.argmax_rows = { dtype, rows, cols, x, out, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.argmaxRows(dtype: dtype, rows: Int(rows), cols: Int(cols), x: x, out: out)
    }
  }
  api.count_nonfinite = { dtype, n, x, out, err in
    report(err) { () throws(KernelError) in
      let result = try CPUKernel.countNonfinite(dtype: dtype, n: Int(n), x: x)
      try store(result, to: out, op: "count_nonfinite")
    }
  }
  fillConvolutionEntries(&api)
  return api
}

/// The 1.1 entries: convolution and pooling.
private func fillConvolutionEntries(_ api: inout EQP_HostKernelApi) {
  api.conv2d = {
    dtype, batch, cin, h, w, cout, kh, kw, sh, sw, ph, pw, alpha, x, weight, bias, beta, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.conv2d(
        dtype: dtype, batch: batch, inChannels: cin, inH: h, inW: w, outChannels: cout,
        kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw, alpha: alpha,
        x: x, weight: weight, bias: bias, beta: beta, y: y)
    }
  }
  api.conv2d_transpose = {
    dtype, batch, cin, h, w, cout, kh, kw, sh, sw, ph, pw, alpha, y, weight, beta, x, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.conv2dTranspose(
        dtype: dtype, batch: batch, inChannels: cin, inH: h, inW: w, outChannels: cout,
        kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw, alpha: alpha,
        y: y, weight: weight, beta: beta, x: x)
    }
  }
  api.conv2d_weight_grad = {
    dtype, batch, cin, h, w, cout, kh, kw, sh, sw, ph, pw, alpha, x, dy, dw, db, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.conv2dWeightGrad(
        dtype: dtype, batch: batch, inChannels: cin, inH: h, inW: w, outChannels: cout,
        kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padH: ph, padW: pw, alpha: alpha,
        x: x, dy: dy, weightGrad: dw, biasGrad: db)
    }
  }
  api.maxpool2d = { dtype, batch, channels, h, w, poolH, poolW, sh, sw, x, y, indices, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.maxpool2d(
        dtype: dtype, batch: batch, channels: channels, inH: h, inW: w, poolH: poolH,
        poolW: poolW, strideH: sh, strideW: sw, x: x, y: y, indices: indices)
    }
  }
  api.maxunpool2d = { dtype, batch, channels, h, w, outH, outW, x, indices, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.maxunpool2d(
        dtype: dtype, batch: batch, channels: channels, inH: h, inW: w, outH: outH, outW: outW,
        x: x, indices: indices, y: y)
    }
  }
  api.pool_gather2d = { dtype, batch, channels, h, w, outH, outW, x, indices, y, err in
    report(err) { () throws(KernelError) in
      try CPUKernel.poolGather2d(
        dtype: dtype, batch: batch, channels: channels, inH: h, inW: w, outH: outH, outW: outW,
        x: x, indices: indices, y: y)
    }
  }
}

/// Writes a scalar result to the caller's out pointer, refusing NULL.
private func store<T>(_ value: T, to out: UnsafeMutablePointer<T>?, op: String)
  throws(KernelError)
{
  guard let out else { throw .invalid("kernel.\(op): out is NULL, must point to the result") }
  out.pointee = value
}
