extension OptionReader {
  /// The `layers` option of the layered models: sizes from the output to the input, at
  /// least `minimum` of them; an invalid-argument error naming the key otherwise.
  public func layerSizes(minimum: Int = 2) throws(PluginError) -> (sizes: [Int], input: Int) {
    let layers = try ints("layers")
    guard layers.count >= minimum else {
      let needed = minimum > 2 ? "the output, \(minimum - 2) hidden size(s) and the input" : "the output and input sizes"
      throw PluginError(
        .invalidArgument,
        "model.layers: \(layers) has \(layers.count) entries; give at least \(needed), output first "
          + "(e.g. [10, 512, 784])")
    }
    return (layers.dropLast().map { Int($0) }, Int(layers[layers.count - 1]))
  }
}
