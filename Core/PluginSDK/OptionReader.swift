@preconcurrency import CEqprop

/// Typed reads of a plugin's options through the host's config API. The host has already
/// checked types and bounds against the plugin's option list and filled in defaults, so a
/// failure here means an option missing from that list.
public struct OptionReader {
  let options: OpaquePointer?
  let err: OpaquePointer?

  public init(_ options: OpaquePointer?, err: OpaquePointer?) {
    self.options = options
    self.err = err
  }

  private var api: EQP_HostConfigApi? { PluginHost.config?.pointee }

  public func double(_ key: String) throws(PluginError) -> Double {
    var value = 0.0
    try PluginError.check(
      key.withCString { api?.get_f64?(options, $0, &value, err) ?? missingAPI }, path(key))
    return value
  }

  public func int(_ key: String) throws(PluginError) -> Int64 {
    var value: Int64 = 0
    try PluginError.check(
      key.withCString { api?.get_i64?(options, $0, &value, err) ?? missingAPI }, path(key))
    return value
  }

  public func bool(_ key: String) throws(PluginError) -> Bool {
    var value: Int32 = 0
    try PluginError.check(
      key.withCString { api?.get_bool?(options, $0, &value, err) ?? missingAPI }, path(key))
    return value != 0
  }

  public func string(_ key: String) throws(PluginError) -> String {
    var value: UnsafePointer<CChar>?
    try PluginError.check(
      key.withCString { api?.get_str?(options, $0, &value, err) ?? missingAPI }, path(key))
    return value.map { String(cString: $0) } ?? ""
  }

  public func ints(_ key: String) throws(PluginError) -> [Int64] {
    var count = 0
    try PluginError.check(
      key.withCString { api?.get_i64_list?(options, $0, nil, 0, &count, err) ?? missingAPI },
      path(key))
    var values = [Int64](repeating: 0, count: count)
    try PluginError.check(
      key.withCString { name in
        values.withUnsafeMutableBufferPointer {
          api?.get_i64_list?(options, name, $0.baseAddress, count, &count, err) ?? missingAPI
        }
      }, path(key))
    return values
  }

  public func doubles(_ key: String) throws(PluginError) -> [Double] {
    var count = 0
    try PluginError.check(
      key.withCString { api?.get_f64_list?(options, $0, nil, 0, &count, err) ?? missingAPI },
      path(key))
    var values = [Double](repeating: 0, count: count)
    try PluginError.check(
      key.withCString { name in
        values.withUnsafeMutableBufferPointer {
          api?.get_f64_list?(options, name, $0.baseAddress, count, &count, err) ?? missingAPI
        }
      }, path(key))
    return values
  }

  /// The full config path of `key` ("model.activation"), for messages.
  public func path(_ key: String) -> String {
    guard let section = api?.path?(options) else { return key }
    return String(cString: section) + "." + key
  }

  private var missingAPI: EQP_Status {
    fail(err, .abiMismatch, "the host offers no config API")
  }
}
