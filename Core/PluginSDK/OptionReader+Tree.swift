@preconcurrency import CEqprop

/// Reads inside an `EQP_OPT_TREE` option ("conv[1].kernel"), which the host passes through
/// unchecked: the plugin validates it, and keys may be absent.
extension OptionReader {
  /// The number of elements of the list (or keys of the map) at `key`.
  public func count(_ key: String) throws(PluginError) -> Int {
    var value = 0
    try PluginError.check(
      key.withCString {
        PluginHost.config?.pointee.get_count?(options, $0, &value, err) ?? missingConfig
      },
      path(key))
    return value
  }

  /// The integer at `key`, or nil when the key is absent (a value of another type is an
  /// error). An absent key leaves nothing in the error sink.
  public func optionalInt(_ key: String) throws(PluginError) -> Int64? {
    var value: Int64 = 0
    let quiet = key.withCString {
      PluginHost.config?.pointee.get_i64?(options, $0, &value, nil) ?? missingConfig
    }
    if quiet == Status.notFound.rawValue { return nil }
    if quiet == Status.ok.rawValue { return value }
    return try int(key)  // again with the sink, for the message
  }

  private var missingConfig: EQP_Status { fail(err, .abiMismatch, "the host offers no config API") }
}
