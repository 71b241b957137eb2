@preconcurrency import CEqprop
import EqpropPluginSDK
import XCTest

@testable import EqpropHost

/// The SDK's convolution wrappers on a host whose kernel table stops at 1.0: the entries past
/// its struct_size are never read (the read rule), and a call names what is missing.
final class SDKConvolutionCallsTests: XCTestCase {
  /// The short tables a test installed, freed once the real table is back.
  private var shortTables: [UnsafeMutableRawPointer] = []

  override func tearDown() {
    _ = PluginHost.install(HostTables.api, err: nil)
    shortTables.forEach { $0.deallocate() }
  }

  /// Installs a host table whose kernel says it is 1.0-sized. The entries after it are left
  /// filled, as stale memory past a short table would be: only the size may be trusted.
  private func installOneZeroKernel() -> UnsafeMutablePointer<EQP_HostKernelApi> {
    let kernel = UnsafeMutablePointer<EQP_HostKernelApi>.allocate(capacity: 1)
    kernel.initialize(to: HostTables.api.pointee.kernel.pointee)
    kernel.pointee.struct_size = Int(EQP_HostKernelApi_MIN_SIZE)
    let api = UnsafeMutablePointer<EQP_HostApi>.allocate(capacity: 1)
    api.initialize(to: HostTables.api.pointee)
    api.pointee.kernel = UnsafePointer(kernel)
    XCTAssertEqual(PluginHost.install(UnsafePointer(api), err: nil), EQP_Status(EQP_OK))
    shortTables += [UnsafeMutableRawPointer(kernel), UnsafeMutableRawPointer(api)]
    return kernel
  }

  func testAOneZeroKernelHasNoConvolutionAndSaysSo() throws {
    let kernel = installOneZeroKernel()
    XCTAssertNotNil(kernel.pointee.conv2d, "the stale entry is there to be ignored")
    let calls = try KernelCalls(dtype: UInt32(EQP_DTYPE_F64), err: nil)
    XCTAssertFalse(calls.hasConvolution)
    let shape = ConvShape(batch: 1, inChannels: 1, inH: 3, inW: 3, outChannels: 1, kernel: (3, 3))
    let x = [Double](repeating: 1, count: 9)
    var y = [0.0]
    XCTAssertThrowsError(try calls.conv2d(shape, x: x, weight: x, bias: nil, y: &y)) { error in
      XCTAssertEqual(
        (error as? PluginError)?.message,
        "kernel.conv2d: the host's kernel table (struct_size 144) has no conv2d; it needs ABI "
          + "1.1 (struct_size 192): update eqprop")
      XCTAssertEqual((error as? PluginError)?.status, .abiMismatch)
    }
    XCTAssertEqual(y, [0])
    XCTAssertThrowsError(try calls.requireConvolution("conv.create")) { error in
      XCTAssertTrue(
        (error as? PluginError)?.message.hasPrefix(
          "conv.create: the host's kernel table (struct_size 144) lacks the convolution") ?? false,
        "\(error)")
    }
  }

  func testTheFullKernelConvolves() throws {
    _ = PluginHost.install(HostTables.api, err: nil)
    let calls = try KernelCalls(dtype: UInt32(EQP_DTYPE_F64), err: nil)
    XCTAssertTrue(calls.hasConvolution)
    let shape = ConvShape(batch: 1, inChannels: 1, inH: 3, inW: 3, outChannels: 1, kernel: (3, 3))
    XCTAssertEqual(shape.outH, 1)
    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    var y = [0.0]
    try calls.conv2d(shape, x: x, weight: x, bias: [0.5], y: &y)
    XCTAssertEqual(y, [285.5])
  }
}
