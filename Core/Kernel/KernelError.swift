@preconcurrency import CEqprop

/// A refused kernel call: the status code and the sentence that explains it.
///
/// The Swift entry points of `CPUKernel` throw it; the C table hands the same code and message
/// to the host's error sink.
public struct KernelError: Error, Equatable, Sendable {
  /// `EQP_ERR_INVALID_ARGUMENT` or `EQP_ERR_UNSUPPORTED`.
  public var code: EQP_Status
  /// "kernel.<op>: <argument> is <found>, must be <expected>".
  public var message: String

  /// Makes an error from a status code and its sentence.
  public init(code: EQP_Status, message: String) {
    self.code = code
    self.message = message
  }

  static func invalid(_ message: String) -> KernelError {
    KernelError(code: EQP_Status(EQP_ERR_INVALID_ARGUMENT), message: message)
  }

  static func unsupported(_ message: String) -> KernelError {
    KernelError(code: EQP_Status(EQP_ERR_UNSUPPORTED), message: message)
  }
}
