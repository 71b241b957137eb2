@preconcurrency import CEqprop
import EqpropKernel
@preconcurrency import Glibc

/// The host's function table (`EQP_HostApi`) and its sub-tables, built once per process.
///
/// Every entry is a `@convention(c)` closure that captures nothing; host objects travel
/// through the opaque handles (`EQP_Error *`, `EQP_Rng *`, ...).
enum HostTables {
  // The tables below are built once, never mutated, and only read afterwards; pointers are
  // not Sendable, hence nonisolated(unsafe).

  /// The table handed to plugins: lives until the process exits.
  nonisolated(unsafe) static let api: UnsafePointer<EQP_HostApi> = {
    var api = EQP_HostApi()
    api.struct_size = Int(EQP_HostApi_STRUCT_SIZE)
    api.abi_major = UInt32(EQP_ABI_MAJOR)
    api.abi_minor = UInt32(EQP_ABI_MINOR)
    api.error = errorApi
    api.log = permanent(makeLogApi())
    api.memory = permanent(makeMemoryApi())
    api.rng = permanent(makeRngApi())
    api.config = permanent(ConfigApi.make())
    api.model = permanent(ModelApi.make())
    api.session = permanent(SessionApi.make())
    api.kernel = CPUKernel.table(errors: errorApi)
    return permanent(api)
  }()

  /// What `eqp_plugin_entry` receives.
  nonisolated(unsafe) static let info: UnsafePointer<EQP_HostInfo> = {
    var info = EQP_HostInfo()
    info.struct_size = Int(EQP_HostInfo_STRUCT_SIZE)
    info.abi_major = UInt32(EQP_ABI_MAJOR)
    info.abi_minor = UInt32(EQP_ABI_MINOR)
    info.api = api
    return permanent(info)
  }()

  nonisolated(unsafe) static let errorApi: UnsafePointer<EQP_HostErrorApi> = {
    var table = EQP_HostErrorApi()
    table.struct_size = Int(EQP_HostErrorApi_STRUCT_SIZE)
    table.set = { err, code, message in
      if let err {
        ErrorSink.from(err).set(code, message.map { String(cString: $0) } ?? "")
      }
      return code
    }
    table.code = { err in err.map { ErrorSink.from($0).code } ?? 0 }
    table.message = { err in
      err.map { UnsafePointer(ErrorSink.from($0).cMessage) }
    }
    return permanent(table)
  }()

  private static func makeLogApi() -> EQP_HostLogApi {
    var table = EQP_HostLogApi()
    table.struct_size = Int(EQP_HostLogApi_STRUCT_SIZE)
    table.write = { level, source, message in
      HostLog.write(
        level: level, source: source.map { String(cString: $0) },
        message: message.map { String(cString: $0) } ?? "")
    }
    table.enabled = { level in HostLog.isEnabled(level) ? 1 : 0 }
    return table
  }

  private static func makeMemoryApi() -> EQP_HostMemoryApi {
    var table = EQP_HostMemoryApi()
    table.struct_size = Int(EQP_HostMemoryApi_STRUCT_SIZE)
    table.alloc = { bytes, alignment in HostMemory.allocate(bytes: bytes, alignment: alignment) }
    table.free = { pointer in Glibc.free(pointer) }
    table.tensor_alloc = { dtype, ndim, shape, device, out, err in
      HostMemory.tensorAlloc(
        dtype: dtype, ndim: ndim, shape: shape, device: device, out: out, err: err)
    }
    table.tensor_free = { tensor in HostMemory.tensorFree(tensor) }
    return table
  }

  private static func makeRngApi() -> EQP_HostRngApi {
    var table = EQP_HostRngApi()
    table.struct_size = Int(EQP_HostRngApi_STRUCT_SIZE)
    table.next_u64 = { rng in rng.map { RandomStream.from($0).nextUInt64() } ?? 0 }
    table.uniform = { rng in rng.map { RandomStream.from($0).uniform() } ?? 0 }
    table.normal = { rng in rng.map { RandomStream.from($0).normal() } ?? 0 }
    table.fill_uniform = { rng, tensor, low, high, err in
      HostMemory.fillUniform(rng: rng, tensor: tensor, low: low, high: high, err: err)
    }
    return table
  }

  private static func permanent<T>(_ value: T) -> UnsafePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
    pointer.initialize(to: value)
    return UnsafePointer(pointer)
  }
}
