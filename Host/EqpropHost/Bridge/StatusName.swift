@preconcurrency import CEqprop

/// Human-readable names of the ABI's status codes, for messages.
enum StatusName {
  static func of(_ status: EQP_Status) -> String {
    switch Int(status) {
    case EQP_OK: return "ok"
    case EQP_ERR_INVALID_ARGUMENT: return "invalid argument"
    case EQP_ERR_UNSUPPORTED: return "unsupported"
    case EQP_ERR_ABI_MISMATCH: return "ABI mismatch"
    case EQP_ERR_OUT_OF_MEMORY: return "out of memory"
    case EQP_ERR_NUMERIC: return "numeric error"
    case EQP_ERR_NOT_FOUND: return "not found"
    case EQP_ERR_IO: return "I/O error"
    case EQP_ERR_CANCELLED: return "cancelled"
    case EQP_ERR_INTERNAL: return "internal error"
    default: return "unknown status \(status)"
    }
  }
}
