@preconcurrency import CEqprop

/// A status code of the ABI, as a typed Swift value.
///
/// The corresponding C type is `EQP_Status`; each static member names its C constant.
public struct Status: RawRepresentable, Hashable, Sendable, Error {
  public var rawValue: EQP_Status
  public init(rawValue: EQP_Status) { self.rawValue = rawValue }
  init(_ constant: Int) { rawValue = EQP_Status(constant) }

  /// `EQP_OK`
  public static let ok = Status(EQP_OK)
  /// `EQP_ERR_INVALID_ARGUMENT`
  public static let invalidArgument = Status(EQP_ERR_INVALID_ARGUMENT)
  /// `EQP_ERR_UNSUPPORTED`
  public static let unsupported = Status(EQP_ERR_UNSUPPORTED)
  /// `EQP_ERR_ABI_MISMATCH`
  public static let abiMismatch = Status(EQP_ERR_ABI_MISMATCH)
  /// `EQP_ERR_OUT_OF_MEMORY`
  public static let outOfMemory = Status(EQP_ERR_OUT_OF_MEMORY)
  /// `EQP_ERR_NUMERIC`
  public static let numeric = Status(EQP_ERR_NUMERIC)
  /// `EQP_ERR_NOT_FOUND`
  public static let notFound = Status(EQP_ERR_NOT_FOUND)
  /// `EQP_ERR_INTERNAL`
  public static let `internal` = Status(EQP_ERR_INTERNAL)
}

/// Puts `message` into the host's error sink and returns `status` as the C code, so that a
/// plugin function can end with `return fail(err, .invalidArgument, "…")`.
public func fail(_ err: OpaquePointer?, _ status: Status, _ message: String) -> EQP_Status {
  guard let set = PluginHost.api?.pointee.error.pointee.set else { return status.rawValue }
  return message.withCString { set(err, status.rawValue, $0) }
}

/// Runs a throwing plugin body and turns a thrown `PluginError` into a status and message.
public func catchingStatus(_ err: OpaquePointer?, _ body: () throws(PluginError) -> Void)
  -> EQP_Status
{
  do throws(PluginError) {
    try body()
    return Status.ok.rawValue
  } catch {
    return fail(err, error.status, error.message)
  }
}

/// A failure inside a plugin, carried to the ABI boundary by `catchingStatus`.
public struct PluginError: Error, Sendable {
  public var status: Status
  public var message: String
  public init(_ status: Status, _ message: String) {
    self.status = status
    self.message = message
  }

  /// Wraps a non-OK status returned by a host call (whose message is already in the sink).
  public static func check(_ code: EQP_Status, _ context: @autoclosure () -> String) throws(
    PluginError
  ) {
    if code != EQP_Status(EQP_OK) { throw PluginError(Status(rawValue: code), context()) }
  }
}
