@preconcurrency import CEqprop
import EqpropPluginSDK
import XCTest

@testable import EqpropHost

/// The SDK's session calls on a host whose session table stops at 1.1: apply_step is past its
/// struct_size, so it is never read, and the call names the minor it needs.
final class SDKSessionCallsTests: XCTestCase {
  override func tearDown() {
    _ = PluginHost.install(HostTables.api, err: nil)
  }

  func testApplyStepOnAOneOneHostSaysWhichHostItNeeds() throws {
    let session = UnsafeMutablePointer<EQP_HostSessionApi>.allocate(capacity: 1)
    session.initialize(to: HostTables.api.pointee.session.pointee)
    // The 1.2 entry stays filled, as stale memory past a short table would be.
    session.pointee.struct_size = try XCTUnwrap(MemoryLayout<EQP_HostSessionApi>.offset(of: \.apply_step))
    let api = UnsafeMutablePointer<EQP_HostApi>.allocate(capacity: 1)
    api.initialize(to: HostTables.api.pointee)
    api.pointee.session = UnsafePointer(session)
    XCTAssertEqual(PluginHost.install(UnsafePointer(api), err: nil), EQP_Status(EQP_OK))
    defer {
      // The real table goes back before the short copy it replaced is freed.
      _ = PluginHost.install(HostTables.api, err: nil)
      api.deallocate()
      session.deallocate()
    }
    let handle = try XCTUnwrap(OpaquePointer(bitPattern: 0x1000), "never dereferenced: the call refuses first")
    let calls = try SessionCalls(handle, err: nil)
    XCTAssertThrowsError(try calls.applyStep(before: handle, after: handle, coeff: 1, scale: 1)) { error in
      XCTAssertEqual((error as? PluginError)?.status, .abiMismatch)
      XCTAssertEqual(
        (error as? PluginError)?.message,
        "session.apply_step needs a host of ABI 1.2 or newer (this host's session table ends at struct_size "
          + "160): update eqprop")
    }
  }
}
