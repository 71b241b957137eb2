extension OptionReader {
  /// A string option that must name one case of `type` (its raw value); otherwise an
  /// invalid-argument error that lists the accepted names.
  public func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, as type: Choice.Type)
    throws(PluginError) -> Choice where Choice.RawValue == String
  {
    let name = try string(key)
    guard let value = Choice(rawValue: name) else {
      let accepted = Choice.allCases.map(\.rawValue).joined(separator: ", ")
      throw PluginError(.invalidArgument, "\(path(key)): \"\(name)\" is not one of \(accepted)")
    }
    return value
  }
}
