@preconcurrency import CEqprop
@preconcurrency import Glibc

/// The host-owned message sink behind `EQP_Error *`: plugins write into it through
/// `host->error->set`; the host reads the code and message after a failed call.
final class ErrorSink {
  private(set) var code: EQP_Status = EQP_Status(EQP_OK)
  private(set) var message = ""
  /// `message` as a C string for `host->error->message`; valid until the next `set`.
  private(set) var cMessage: UnsafeMutablePointer<CChar>

  init() { cMessage = strdup("") }
  deinit { free(cMessage) }

  /// The opaque pointer plugins receive. Valid while this sink is alive.
  var pointer: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

  static func from(_ pointer: OpaquePointer) -> ErrorSink {
    Unmanaged<ErrorSink>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  /// Whether a failure was recorded.
  var isSet: Bool { code != EQP_Status(EQP_OK) }

  /// Records a failure; a later message is appended after ": " so messages chain outward-in.
  func set(_ code: EQP_Status, _ text: String) {
    if !isSet { self.code = code }
    message = message.isEmpty ? text : "\(message): \(text)"
    free(cMessage)
    cMessage = strdup(message)
  }

  /// The message for a failed call that returned `status`, whether or not the callee wrote
  /// into the sink.
  func describe(_ status: EQP_Status) -> String {
    let name = StatusName.of(status)
    return message.isEmpty ? "\(name) (the plugin gave no message)" : "\(name): \(message)"
  }

  func reset() {
    code = EQP_Status(EQP_OK)
    message = ""
    free(cMessage)
    cMessage = strdup("")
  }
}
