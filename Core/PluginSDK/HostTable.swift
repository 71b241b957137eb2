@preconcurrency import CEqprop

/// The host's function table, as one plugin library received it in `init`.
///
/// Each plugin library links its own copy of this module, so each library has its own
/// table pointer; it is set once in `init` and never changes after.
public enum PluginHost {
  // Written once by `install` during the library's init, before any other call reaches the
  // plugin, and only read afterwards: safe to share across threads.
  nonisolated(unsafe) private static var installed: UnsafePointer<EQP_HostApi>?

  /// The host table; nil before `install`.
  public static var api: UnsafePointer<EQP_HostApi>? { installed }

  /// Stores the table from the library's `init`. Returns `.abiMismatch` with a message when
  /// the table is missing or too short for ABI 1.0.
  public static func install(_ api: UnsafePointer<EQP_HostApi>?, err: OpaquePointer?)
    -> EQP_Status
  {
    guard let api, api.pointee.struct_size >= Int(EQP_HostApi_STRUCT_SIZE) else {
      // Without a table there is no error sink either: the host reads the status alone.
      return EQP_Status(EQP_ERR_ABI_MISMATCH)
    }
    installed = api
    return EQP_Status(EQP_OK)
  }

  /// The tensor kernel, or nil before `install`.
  public static var kernel: UnsafePointer<EQP_HostKernelApi>? { installed?.pointee.kernel }
  /// The model forwarders, or nil before `install`.
  public static var model: UnsafePointer<EQP_HostModelApi>? { installed?.pointee.model }
  /// The host allocator, or nil before `install`.
  public static var memory: UnsafePointer<EQP_HostMemoryApi>? { installed?.pointee.memory }
  /// The option readers, or nil before `install`.
  public static var config: UnsafePointer<EQP_HostConfigApi>? { installed?.pointee.config }
  /// The learner session services, or nil before `install`.
  public static var session: UnsafePointer<EQP_HostSessionApi>? { installed?.pointee.session }
  /// The random streams, or nil before `install`.
  public static var rng: UnsafePointer<EQP_HostRngApi>? { installed?.pointee.rng }
}
