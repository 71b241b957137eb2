@preconcurrency import CEqprop
import XCTest

@testable import EqpropHost

/// The host table promises every 1.0 entry; plugins call them without checking for NULL.
final class HostTableTests: XCTestCase {
  func testVersionsAndSizes() {
    let api = HostTables.api.pointee
    XCTAssertEqual(api.struct_size, Int(EQP_HostApi_STRUCT_SIZE))
    XCTAssertEqual(api.abi_major, UInt32(EQP_ABI_MAJOR))
    XCTAssertEqual(HostTables.info.pointee.api, HostTables.api)
  }

  func testErrorSinkChainsMessages() {
    let sink = ErrorSink()
    let set = HostTables.errorApi.pointee.set
    XCTAssertEqual(set?(sink.pointer, EQP_Status(EQP_ERR_NUMERIC), "inner"), EQP_Status(EQP_ERR_NUMERIC))
    _ = set?(sink.pointer, EQP_Status(EQP_ERR_INTERNAL), "outer")
    XCTAssertEqual(sink.code, EQP_Status(EQP_ERR_NUMERIC))
    XCTAssertEqual(sink.message, "inner: outer")
    XCTAssertEqual(HostTables.errorApi.pointee.message(sink.pointer).map { String(cString: $0) }, "inner: outer")
    XCTAssertEqual(set?(nil, EQP_Status(EQP_ERR_IO), "nowhere"), EQP_Status(EQP_ERR_IO))
  }

  func testTensorAllocIsZeroedAlignedAndFreed() throws {
    let memory = HostTables.api.pointee.memory.pointee
    var tensor = EQP_Tensor()
    let shape: [Int64] = [3, 5]
    let sink = ErrorSink()
    XCTAssertEqual(
      memory.tensor_alloc(UInt32(EQP_DTYPE_F64), 2, shape, Int32(EQP_DEVICE_CPU), &tensor, sink.pointer),
      EQP_Status(EQP_OK))
    let data = try XCTUnwrap(tensor.data)
    XCTAssertEqual(Int(bitPattern: data) % 64, 0)
    XCTAssertEqual(tensor.shape?[1], 5)
    let values = data.assumingMemoryBound(to: Double.self)
    XCTAssertEqual((0..<15).map { values[$0] }, [Double](repeating: 0, count: 15))
    memory.tensor_free(&tensor)
    XCTAssertNil(tensor.data)
    let bad: [Int64] = [-1]
    XCTAssertEqual(
      memory.tensor_alloc(UInt32(EQP_DTYPE_F32), 1, bad, Int32(EQP_DEVICE_CPU), &tensor, sink.pointer),
      EQP_Status(EQP_ERR_INVALID_ARGUMENT))
    XCTAssertTrue(sink.message.contains("shape[0] is -1"), sink.message)
    // An element count that fits an Int but whose bytes do not: refused, not a crash.
    let huge: [Int64] = [1 << 31, 1 << 30]
    XCTAssertEqual(
      memory.tensor_alloc(UInt32(EQP_DTYPE_F64), 2, huge, Int32(EQP_DEVICE_CPU), &tensor, sink.pointer),
      EQP_Status(EQP_ERR_INVALID_ARGUMENT))
    XCTAssertTrue(sink.message.contains("overflow the address space"), sink.message)
  }

  func testRandomStreamReplaysFromItsSeed() {
    let a = RandomStream(seed: 7)
    let b = RandomStream(seed: 7)
    let c = RandomStream(seed: 8)
    let first = (0..<5).map { _ in a.nextUInt64() }
    XCTAssertEqual(first, (0..<5).map { _ in b.nextUInt64() })
    XCTAssertNotEqual(first, (0..<5).map { _ in c.nextUInt64() })
    let uniforms = (0..<10_000).map { _ in a.uniform() }
    XCTAssertTrue(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
    XCTAssertEqual(uniforms.reduce(0, +) / 10_000, 0.5, accuracy: 0.02)
    XCTAssertTrue((0..<1000).allSatisfy { _ in a.below(7) < 7 })
  }
}

/// Swift imports the table's function pointers as implicitly unwrapped, and plugins call them
/// without checking: the host must fill every 1.0 entry.
final class HostTableCompletenessTests: XCTestCase {
  private func nilFields<T>(_ table: T) -> [String] {
    Mirror(reflecting: table).children.compactMap { child in
      guard let label = child.label, label != "struct_size" else { return nil }
      let value = child.value
      if case Optional<Any>.none = value as Any? { return label }
      let description = String(describing: value)
      return description == "nil" ? label : nil
    }
  }

  func testTheCheckSeesAMissingEntry() {
    var table = EQP_HostLogApi()
    table.enabled = { _ in 1 }
    XCTAssertEqual(nilFields(table), ["write"])
  }

  func testEverySubTableEntryIsFilled() {
    let api = HostTables.api.pointee
    XCTAssertEqual(nilFields(api).filter { $0 != "next" }, [])
    XCTAssertEqual(nilFields(api.error.pointee), [])
    XCTAssertEqual(nilFields(api.log.pointee), [])
    XCTAssertEqual(nilFields(api.memory.pointee), [])
    XCTAssertEqual(nilFields(api.rng.pointee), [])
    XCTAssertEqual(nilFields(api.config.pointee), [])
    XCTAssertEqual(nilFields(api.kernel.pointee), [])
    XCTAssertEqual(nilFields(api.model.pointee), [])
    XCTAssertEqual(nilFields(api.session.pointee), [])
    XCTAssertEqual(api.kernel.pointee.struct_size, Int(EQP_HostKernelApi_STRUCT_SIZE))
    XCTAssertEqual(api.session.pointee.struct_size, Int(EQP_HostSessionApi_STRUCT_SIZE))
  }
}
