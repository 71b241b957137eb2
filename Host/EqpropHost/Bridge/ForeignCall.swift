@preconcurrency import CFFI
@preconcurrency import Glibc

/// One C value passed to a function called through libffi.
enum ForeignValue {
  case int32(Int32)
  case int64(Int64)
  case float(Float)
  case double(Double)
  /// Copied into a NUL-terminated buffer that lives as long as the call.
  case string(String)
  case pointer(UnsafeRawPointer?)

  /// The libffi type descriptor (process-lifetime globals of libffi).
  var type: UnsafeMutablePointer<ffi_type> {
    switch self {
    case .int32: return cffi_type_sint32()
    case .int64: return cffi_type_sint64()
    case .float: return cffi_type_float()
    case .double: return cffi_type_double()
    case .string, .pointer: return cffi_type_pointer()
    }
  }
}

/// A C function bound to its argument values through libffi, callable any number of times.
///
/// Everything `ffi_call` reads is allocated once here and freed with this object: the
/// `ffi_cif`, the argument type array it points into, one 8-byte slot per argument, the array
/// of slot addresses and the copies of string arguments. A call allocates nothing.
final class ForeignCall {
  private let function: @convention(c) () -> Void
  private let returnType: FunctionSignature.ReturnType
  private let cif = UnsafeMutablePointer<ffi_cif>.allocate(capacity: 1)
  private let types: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
  private let slots: UnsafeMutableRawPointer
  private let addresses: UnsafeMutablePointer<UnsafeMutableRawPointer?>
  private var strings: [UnsafeMutablePointer<CChar>] = []

  /// Prepares the call, or says why libffi refused the interface.
  init(
    function: UnsafeRawPointer, returns returnType: FunctionSignature.ReturnType,
    arguments: [ForeignValue]
  ) throws(PluginFailure) {
    self.function = unsafeBitCast(function, to: (@convention(c) () -> Void).self)
    self.returnType = returnType
    let count = arguments.count
    // Capacity ≥ 1 so that a function without arguments still gets valid pointers.
    types = .allocate(capacity: max(count, 1))
    slots = .allocate(byteCount: max(count, 1) * 8, alignment: 8)
    addresses = .allocate(capacity: max(count, 1))
    for (index, value) in arguments.enumerated() {
      let slot = slots + index * 8
      types[index] = value.type
      addresses[index] = slot
      try store(value, in: slot)
    }
    let status = ffi_prep_cif(cif, FFI_DEFAULT_ABI, UInt32(count), Self.ffiType(returnType), types)
    guard status == FFI_OK else {
      throw PluginFailure(
        "libffi refused the call interface (ffi_prep_cif status \(status.rawValue))")
    }
  }

  deinit {
    for string in strings { free(string) }
    addresses.deallocate()
    slots.deallocate()
    types.deallocate()
    cif.deallocate()
  }

  /// Calls the function and widens its return value.
  func call() -> ExtensionResult {
    // libffi writes a small integer result as a whole ffi_arg (8 bytes): a 16-byte, 8-aligned
    // buffer holds any of the return types.
    var buffer: (UInt64, UInt64) = (0, 0)
    return withUnsafeMutableBytes(of: &buffer) { result in
      guard let base = result.baseAddress else { return .void }
      ffi_call(cif, function, base, addresses)
      switch returnType {
      case .void: return .void
      case .int32: return .int32(Int32(truncatingIfNeeded: base.load(as: Int64.self)))
      case .int64: return .int64(base.load(as: Int64.self))
      case .float: return .float(base.load(as: Float.self))
      case .double: return .double(base.load(as: Double.self))
      }
    }
  }

  private func store(_ value: ForeignValue, in slot: UnsafeMutableRawPointer) throws(PluginFailure)
  {
    switch value {
    case .int32(let number): slot.storeBytes(of: number, as: Int32.self)
    case .int64(let number): slot.storeBytes(of: number, as: Int64.self)
    case .float(let number): slot.storeBytes(of: number, as: Float.self)
    case .double(let number): slot.storeBytes(of: number, as: Double.self)
    case .string(let text):
      guard let copy = strdup(text) else {
        throw PluginFailure("out of memory copying a string argument")
      }
      strings.append(copy)
      slot.storeBytes(of: UnsafeRawPointer(copy), as: UnsafeRawPointer?.self)
    case .pointer(let pointer): slot.storeBytes(of: pointer, as: UnsafeRawPointer?.self)
    }
  }

  private static func ffiType(_ type: FunctionSignature.ReturnType) -> UnsafeMutablePointer<
    ffi_type
  > {
    switch type {
    case .void: return cffi_type_void()
    case .int32: return cffi_type_sint32()
    case .int64: return cffi_type_sint64()
    case .float: return cffi_type_float()
    case .double: return cffi_type_double()
    }
  }
}
