@preconcurrency import CEqprop
import XCTest

@testable import EqpropKernel

/// Every refusal returns the right code and a sentence naming the op, and touches nothing.
///
/// Each case runs twice: through the C table (NULL sink: the status code) and through the Swift
/// entry point (the code and the sentence the table hands to the sink, see testForward...).
final class ValidationTests: XCTestCase {
  private let f32 = UInt32(EQP_DTYPE_F32)
  private let f64 = UInt32(EQP_DTYPE_F64)
  private let invalid = EQP_Status(EQP_ERR_INVALID_ARGUMENT)
  private let unsupported = EQP_Status(EQP_ERR_UNSUPPORTED)
  /// Zeroed scratch memory that refused calls point at (and must leave zero).
  private let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
  private let out = UnsafeMutablePointer<Int64>.allocate(capacity: 4)

  override func setUp() {
    buffer.initializeMemory(as: UInt8.self, repeating: 0, count: 1024)
    out.initialize(repeating: 0, count: 4)
  }

  override func tearDown() {
    let bytes = UnsafeBufferPointer(start: buffer.assumingMemoryBound(to: UInt8.self), count: 1024)
    XCTAssert(bytes.allSatisfy { $0 == 0 }, "a refused call wrote to its data")
    XCTAssertEqual(Array(UnsafeBufferPointer(start: out, count: 4)), [0, 0, 0, 0])
    buffer.deallocate()
    out.deallocate()
  }

  private func expectRefusal(
    _ code: EQP_Status, _ message: String, file: StaticString = #filePath, line: UInt = #line,
    table: () -> EQP_Status?, swift: () throws(KernelError) -> Void
  ) {
    XCTAssertEqual(table(), code, "table status for \"\(message)\"", file: file, line: line)
    do {
      try swift()
      XCTFail("no error for \"\(message)\"", file: file, line: line)
    } catch {
      XCTAssertEqual(error.code, code, error.message, file: file, line: line)
      XCTAssert(
        error.message.hasPrefix(message), "message \"\(error.message)\", expected \"\(message)…\"",
        file: file, line: line)
    }
  }

  func testTableHeaderAndEntries() {
    let table = CPUKernel.sharedTable
    XCTAssertEqual(table, CPUKernel.sharedTable, "one table per process")
    XCTAssertEqual(table.pointee.struct_size, EQP_HostKernelApi_STRUCT_SIZE)
    XCTAssertEqual(table.pointee.device_type, Int32(EQP_DEVICE_CPU))
    XCTAssertEqual(table.pointee.reserved, 0)
    // After the 16-byte header the table is a row of function pointers; none may be NULL.
    let entries = (EQP_HostKernelApi_STRUCT_SIZE - 16) / MemoryLayout<UnsafeRawPointer>.size
    XCTAssertEqual(entries, 22)
    UnsafeRawPointer(table).advanced(by: 16).withMemoryRebound(
      to: UnsafeRawPointer?.self, capacity: entries
    ) { slots in
      for i in 0..<entries { XCTAssertNotNil(slots[i], "entry \(i) is NULL") }
    }
  }

  func testDtypes() {
    expectRefusal(
      invalid, "kernel.fill: dtype is 0 (EQP_DTYPE_INVALID), must be EQP_DTYPE_F32 (1) or",
      table: { kernel.fill?(0, 1, 1, buffer, nil) },
      swift: { () throws(KernelError) in try CPUKernel.fill(dtype: 0, n: 1, value: 1, x: buffer) })
    expectRefusal(
      unsupported, "kernel.fill: dtype is 3 (EQP_DTYPE_I32)",
      table: { kernel.fill?(UInt32(EQP_DTYPE_I32), 1, 1, buffer, nil) },
      swift: { () throws(KernelError) in try CPUKernel.fill(dtype: 3, n: 1, value: 1, x: buffer) })
    expectRefusal(
      unsupported, "kernel.axpby: dtype is 99 (unknown)",
      table: { kernel.axpby?(99, 1, 1, buffer, 1, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.axpby(dtype: 99, n: 1, alpha: 1, x: buffer, beta: 1, y: buffer)
      })
    expectRefusal(
      unsupported, "kernel.convert: y_dtype is 5 (EQP_DTYPE_U8)",
      table: { kernel.convert?(f32, UInt32(EQP_DTYPE_U8), 1, buffer, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.convert(xDtype: f32, x: buffer, yDtype: 5, y: buffer, n: 1)
      })
  }

  func testNegativeSizesAndOverflow() {
    expectRefusal(
      invalid, "kernel.activate: n is -1, must be at least 0",
      table: { kernel.activate?(f64, Int32(EQP_ACT_SIGM), -1, buffer, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.activate(dtype: f64, act: 2, n: -1, x: buffer, y: buffer)
      })
    expectRefusal(
      invalid, "kernel.gemm: k is -2, must be at least 0",
      table: { kernel.gemm?(f64, 0, 0, 1, 1, -2, 1, buffer, 1, buffer, 1, 0, buffer, 1, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.gemm(
          dtype: f64, transA: 0, transB: 0, m: 1, n: 1, k: -2, alpha: 1, a: buffer, lda: 1,
          b: buffer, ldb: 1, beta: 0, c: buffer, ldc: 1)
      })
    expectRefusal(
      invalid, "kernel.outer_acc: batch is -1, must be at least 0",
      table: { kernel.outer_acc?(f64, -1, 1, 1, 1, buffer, buffer, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.outerAcc(
          dtype: f64, batch: -1, m: 1, n: 1, alpha: 1, a: buffer, b: buffer, c: buffer)
      })
    expectRefusal(
      invalid, "kernel.sum_rows: cols is -3, must be at least 0",
      table: { kernel.sum_rows?(f64, 1, -3, 1, buffer, 0, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.sumRows(
          dtype: f64, rows: 1, cols: -3, alpha: 1, x: buffer, beta: 0, v: buffer)
      })
    expectRefusal(
      invalid, "kernel.argmax_rows: rows is -1, must be at least 0",
      table: { kernel.argmax_rows?(f64, -1, 1, buffer, out, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.argmaxRows(dtype: f64, rows: -1, cols: 1, x: buffer, out: out)
      })
    expectRefusal(
      invalid, "kernel.add_row_vector: rows × cols is 4611686018427387903 × 3, which overflows",
      table: { kernel.add_row_vector?(f64, Int64.max / 2, 3, 1, buffer, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.addRowVector(
          dtype: f64, rows: Int.max / 2, cols: 3, alpha: 1, v: buffer, y: buffer)
      })
  }

  func testNullAndMisalignedPointers() {
    expectRefusal(
      invalid, "kernel.mul: z is NULL, must point to the data",
      table: { kernel.mul?(f32, 1, buffer, buffer, nil, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.mul(dtype: f32, n: 1, x: buffer, y: buffer, z: nil)
      })
    expectRefusal(
      invalid, "kernel.gemm: b is NULL, must point to the data",
      table: { kernel.gemm?(f32, 0, 0, 1, 1, 1, 1, buffer, 1, nil, 1, 0, buffer, 1, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.gemm(
          dtype: f32, transA: 0, transB: 0, m: 1, n: 1, k: 1, alpha: 1, a: buffer, lda: 1,
          b: nil, ldb: 1, beta: 0, c: buffer, ldc: 1)
      })
    expectRefusal(
      invalid, "kernel.max_abs_diff: x is NULL, must point to the data",
      table: {
        var result = 0.0
        return kernel.max_abs_diff?(f32, 1, nil, buffer, &result, nil)
      },
      swift: { () throws(KernelError) in
        _ = try CPUKernel.maxAbsDiff(dtype: f32, n: 1, x: nil, y: buffer)
      })
    expectRefusal(
      invalid, "kernel.argmax_rows: out is NULL, must point to the data",
      table: { kernel.argmax_rows?(f32, 1, 1, buffer, nil, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.argmaxRows(dtype: f32, rows: 1, cols: 1, x: buffer, out: nil)
      })
    expectRefusal(
      invalid, "kernel.fill: x is 0x",
      table: { kernel.fill?(f64, 1, 1, buffer + 4, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.fill(dtype: f64, n: 1, value: 1, x: buffer + 4)
      })
    // The scalar results of the table have their own NULL check (the Swift entries return them).
    XCTAssertEqual(kernel.dot?(f32, 1, buffer, buffer, nil, nil), invalid)
    XCTAssertEqual(kernel.max_abs_diff?(f32, 1, buffer, buffer, nil, nil), invalid)
    XCTAssertEqual(kernel.count_nonfinite?(f32, 1, buffer, nil, nil), invalid)
    // n = 0 needs no data.
    expectOK(kernel.axpby?(f32, 0, 1, nil, 1, nil, nil))
    expectOK(kernel.gemm?(f32, 0, 0, 0, 0, 5, 1, nil, 5, nil, 0, 0, nil, 0, nil))
  }

  func testConvolutionAndPoolingRefusals() {
    expectRefusal(
      invalid, "kernel.conv2d: kernel_h is 0, must be at least 1",
      table: { kernel.conv2d?(f32, 1, 1, 4, 4, 1, 0, 3, 1, 1, 0, 0, 1, buffer, buffer, nil, 0, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.conv2d(
          dtype: f32, batch: 1, inChannels: 1, inH: 4, inW: 4, outChannels: 1, kernelH: 0,
          kernelW: 3, strideH: 1, strideW: 1, padH: 0, padW: 0, alpha: 1, x: buffer,
          weight: buffer, bias: nil, beta: 0, y: buffer)
      })
    expectRefusal(
      invalid,
      "kernel.conv2d_transpose: in_w + 2·pad_w is 3, must be at least kernel_w (5) so that out_w ≥ 1",
      table: {
        kernel.conv2d_transpose?(f64, 1, 1, 6, 3, 1, 5, 5, 1, 1, 0, 0, 1, buffer, buffer, 0, buffer, nil)
      },
      swift: { () throws(KernelError) in
        try CPUKernel.conv2dTranspose(
          dtype: f64, batch: 1, inChannels: 1, inH: 6, inW: 3, outChannels: 1, kernelH: 5,
          kernelW: 5, strideH: 1, strideW: 1, padH: 0, padW: 0, alpha: 1, y: buffer,
          weight: buffer, beta: 0, x: buffer)
      })
    expectRefusal(
      invalid, "kernel.conv2d_weight_grad: pad_h is -1, must be at least 0",
      table: {
        kernel.conv2d_weight_grad?(f64, 1, 1, 4, 4, 1, 3, 3, 1, 1, -1, 0, 1, buffer, buffer, buffer, nil, nil)
      },
      swift: { () throws(KernelError) in
        try CPUKernel.conv2dWeightGrad(
          dtype: f64, batch: 1, inChannels: 1, inH: 4, inW: 4, outChannels: 1, kernelH: 3,
          kernelW: 3, strideH: 1, strideW: 1, padH: -1, padW: 0, alpha: 1, x: buffer, dy: buffer,
          weightGrad: buffer, biasGrad: nil)
      })
    expectRefusal(
      invalid, "kernel.conv2d: weight is NULL, must point to the data",
      table: { kernel.conv2d?(f32, 1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, buffer, nil, nil, 0, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.conv2d(
          dtype: f32, batch: 1, inChannels: 1, inH: 4, inW: 4, outChannels: 1, kernelH: 3,
          kernelW: 3, strideH: 1, strideW: 1, padH: 0, padW: 0, alpha: 1, x: buffer, weight: nil,
          bias: nil, beta: 0, y: buffer)
      })
    expectRefusal(
      unsupported, "kernel.conv2d: dtype is 4 (EQP_DTYPE_I64)",
      table: { kernel.conv2d?(4, 1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, buffer, buffer, nil, 0, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.conv2d(
          dtype: 4, batch: 1, inChannels: 1, inH: 4, inW: 4, outChannels: 1, kernelH: 3,
          kernelW: 3, strideH: 1, strideW: 1, padH: 0, padW: 0, alpha: 1, x: buffer,
          weight: buffer, bias: nil, beta: 0, y: buffer)
      })
    expectRefusal(
      invalid, "kernel.maxpool2d: in_h is 1, must be at least pool_h (2)",
      table: { kernel.maxpool2d?(f32, 1, 1, 1, 4, 2, 2, 2, 2, buffer, buffer, out, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.maxpool2d(
          dtype: f32, batch: 1, channels: 1, inH: 1, inW: 4, poolH: 2, poolW: 2, strideH: 2,
          strideW: 2, x: buffer, y: buffer, indices: out)
      })
    expectRefusal(
      invalid, "kernel.maxpool2d: stride_w is 0, must be at least 1",
      table: { kernel.maxpool2d?(f32, 1, 1, 4, 4, 2, 2, 2, 0, buffer, buffer, out, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.maxpool2d(
          dtype: f32, batch: 1, channels: 1, inH: 4, inW: 4, poolH: 2, poolW: 2, strideH: 2,
          strideW: 0, x: buffer, y: buffer, indices: out)
      })
    expectRefusal(
      invalid, "kernel.maxunpool2d: indices is NULL, must point to the data",
      table: { kernel.maxunpool2d?(f64, 1, 1, 2, 2, 1, 1, buffer, nil, buffer, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.maxunpool2d(
          dtype: f64, batch: 1, channels: 1, inH: 2, inW: 2, outH: 1, outW: 1, x: buffer,
          indices: nil, y: buffer)
      })
  }

  func testLeadingDimensions() {
    let cases: [(Int32, Int32, Int64, Int64, Int64, String)] = [
      (0, 0, 5, 4, 4, "kernel.gemm: lda is 5, must be at least 7 (k for a non-transposed A)"),
      (1, 0, 2, 4, 4, "kernel.gemm: lda is 2, must be at least 3 (m for a transposed A)"),
      (0, 0, 7, 3, 4, "kernel.gemm: ldb is 3, must be at least 4 (n for a non-transposed B)"),
      (0, 1, 7, 6, 4, "kernel.gemm: ldb is 6, must be at least 7 (k for a transposed B)"),
      (0, 0, 7, 4, 3, "kernel.gemm: ldc is 3, must be at least 4 (n)"),
    ]
    for (transA, transB, lda, ldb, ldc, message) in cases {
      expectRefusal(
        invalid, message,
        table: {
          kernel.gemm?(
            f32, transA, transB, 3, 4, 7, 1, buffer, lda, buffer, ldb, 0, buffer, ldc, nil)
        },
        swift: { () throws(KernelError) in
          try CPUKernel.gemm(
            dtype: f32, transA: transA, transB: transB, m: 3, n: 4, k: 7, alpha: 1, a: buffer,
            lda: Int(lda), b: buffer, ldb: Int(ldb), beta: 0, c: buffer, ldc: Int(ldc))
        })
    }
    expectRefusal(
      unsupported, "kernel.gemm: m is 2147483648, must be at most 2147483647",
      table: {
        kernel.gemm?(f32, 0, 0, 1 << 31, 1, 1, 1, buffer, 1, buffer, 1, 0, buffer, 1, nil)
      },
      swift: { () throws(KernelError) in
        try CPUKernel.gemm(
          dtype: f32, transA: 0, transB: 0, m: 1 << 31, n: 1, k: 1, alpha: 1, a: buffer, lda: 1,
          b: buffer, ldb: 1, beta: 0, c: buffer, ldc: 1)
      })
  }

  func testActivations() {
    for (act, code) in [(6, unsupported), (0, invalid), (-1, invalid)] {
      expectRefusal(
        code, "kernel.activate_grad: act is \(act), must be an EQP_ACT_* constant (1 to 5)",
        table: { kernel.activate_grad?(f64, Int32(act), 1, buffer, buffer, nil) },
        swift: { () throws(KernelError) in
          try CPUKernel.activateGrad(dtype: f64, act: Int32(act), n: 1, x: buffer, y: buffer)
        })
    }
  }

  func testClipBoundsAndEmptyArgmaxRows() {
    for (low, high) in [(1.0, 0.0), (.nan, 0)] {
      expectRefusal(
        invalid, "kernel.clip: low is \(low) and high \(high), must have low ≤ high",
        table: { kernel.clip?(f32, 2, low, high, buffer, nil) },
        swift: { () throws(KernelError) in
          try CPUKernel.clip(dtype: f32, n: 2, low: low, high: high, x: buffer)
        })
    }
    expectRefusal(
      invalid, "kernel.argmax_rows: cols is 0, must be at least 1 when rows > 0",
      table: { kernel.argmax_rows?(f32, 1, 0, buffer, out, nil) },
      swift: { () throws(KernelError) in
        try CPUKernel.argmaxRows(dtype: f32, rows: 1, cols: 0, x: buffer, out: out)
      })
  }

  func testScalarResultsUntouchedOnFailure() {
    var result = 42.0
    var count: Int64 = 42
    XCTAssertEqual(kernel.dot?(0, 1, buffer, buffer, &result, nil), invalid)
    XCTAssertEqual(kernel.max_abs_diff?(f32, -1, nil, nil, &result, nil), invalid)
    XCTAssertEqual(kernel.count_nonfinite?(f64, 1, nil, &count, nil), invalid)
    XCTAssertEqual(result, 42)
    XCTAssertEqual(count, 42)
  }

  /// What the entries do with a refusal: the sentence goes to the sink through `set`.
  func testForwardPutsTheSentenceInTheSink() {
    let sink = ErrorSink()
    let set = CPUKernel.setFunction(of: fakeErrorApi)
    XCTAssertNotNil(set)
    let error = KernelError(code: unsupported, message: "kernel.fill: dtype is 3 (EQP_DTYPE_I32)")
    XCTAssertEqual(forward(error, to: sink.handle, via: set), unsupported)
    XCTAssertEqual(sink.code, unsupported)
    XCTAssertEqual(sink.messages, [error.message])
    XCTAssertEqual(forward(error, to: nil, via: set), unsupported, "a NULL sink")
    XCTAssertEqual(forward(error, to: sink.handle, via: nil), unsupported, "no set function")
    XCTAssertEqual(sink.messages.count, 1)
  }

  func testSetIsReadOnlyWhenStructSizeReachesIt() {
    var short = fakeErrorApi.pointee
    short.struct_size = MemoryLayout<Int>.size
    XCTAssertNil(withUnsafePointer(to: &short) { CPUKernel.setFunction(of: $0) })
  }
}

/// Collects what a fake error api's `set` writes.
final class ErrorSink {
  var code: EQP_Status = 0
  var messages: [String] = []

  /// The sink as the opaque EQP_Error* that `set` receives.
  var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
}

/// A fake EQP_HostErrorApi whose sinks are ErrorSink objects. Never given to
/// `CPUKernel.table(errors:)` (see `kernel`).
nonisolated(unsafe) let fakeErrorApi: UnsafeMutablePointer<EQP_HostErrorApi> = {
  let api = UnsafeMutablePointer<EQP_HostErrorApi>.allocate(capacity: 1)
  api.initialize(to: EQP_HostErrorApi())
  api.pointee.struct_size = EQP_HostErrorApi_STRUCT_SIZE
  api.pointee.set = { err, code, message in
    guard let err else { return code }
    let sink = Unmanaged<ErrorSink>.fromOpaque(UnsafeRawPointer(err)).takeUnretainedValue()
    sink.code = code
    sink.messages.append(message.map { String(cString: $0) } ?? "")
    return code
  }
  return api
}()
