@preconcurrency import CEqprop

extension ModelBinding {
  /// Runs one call of the model for a dynamics, a learner or the session, with a sink of its
  /// own: a failure reaches `err` as "model 'ID' (FILE): CALL failed: STATUS: MESSAGE", so the
  /// user learns which plugin and call gave up whatever the callers add. A `problem` (arguments
  /// that do not fit the layout) refuses the call before the model runs.
  func call(
    _ name: String, _ err: OpaquePointer?, refusing problem: String? = nil,
    _ body: (OpaquePointer) -> EQP_Status
  ) -> EQP_Status {
    if let problem {
      let code = EQP_Status(EQP_ERR_INVALID_ARGUMENT)
      let message = "model '\(plugin.id)' (\(plugin.file)): \(name) was not called: \(problem)"
      if let err { ErrorSink.from(err).set(code, message) }
      return code
    }
    let sink = ErrorSink()
    let status = body(sink.pointer)
    if status != EQP_Status(EQP_OK), let err {
      let failure = PluginCall.failure(plugin, name, sink.describe(status))
      ErrorSink.from(err).set(status, failure.message)
    }
    return status
  }
}
