@preconcurrency import CEqprop

/// The config's `data:` section: where the examples come from, and how training images are
/// augmented.
///
/// ```yaml
/// data: {dir: mnist}                          # a name: mnist, fashion-mnist
/// data: {dir: /data/cifar-10-batches-bin, augment: [flip, crop]}
/// ```
public struct DataSettings: Sendable {
  /// A folder (MNIST-format IDX or CIFAR-10 binary files) or a data set's name; `DataLocation`
  /// resolves it. Empty (in configs written before names existed) means fashion-mnist.
  public var dir: String
  /// Transformations of training images, applied in this order.
  public var augment: [Augmentation]

  static let schema = [
    HostSchema.option(
      "dir", EQP_OPT_STRING, DataLocation.defaultName,
      "a data folder (MNIST-format IDX or CIFAR-10 binary) or a name: "
        + DataLocation.names.joined(separator: ", ")),
    HostSchema.option(
      "augment", EQP_OPT_TREE, "[]",
      "training-image augmentations: "
        + Augmentation.allCases.map(\.rawValue).joined(separator: ", ")),
  ]

  /// Checks the section and returns it with the resolved text.
  static func resolve(_ section: ConfigValue?) throws(ConfigError)
    -> (settings: DataSettings, resolved: ConfigValue)
  {
    let resolved = try OptionValidator(options: schema).resolve(section, path: "data")
    var dir = ""
    if case .string(let text)? = resolved["dir"] { dir = text }
    let augment = try augmentations(resolved["augment"])
    return (DataSettings(dir: dir, augment: augment), resolved)
  }

  /// `data.augment`: a list of distinct augmentation names.
  private static func augmentations(_ value: ConfigValue?) throws(ConfigError) -> [Augmentation] {
    let known = Augmentation.allCases.map(\.rawValue)
    guard case .list(let elements)? = value else {
      let found = value.map { "\($0.typeName) (\($0.flowText))" } ?? "nothing"
      throw ConfigError(
        "data.augment: must be a list of \(known.joined(separator: ", ")), found \(found)")
    }
    var result: [Augmentation] = []
    for (index, element) in elements.enumerated() {
      let path = "data.augment[\(index)]"
      guard case .string(let name) = element, let augmentation = Augmentation(rawValue: name) else {
        var message = "\(path): \(element.flowText) is not an augmentation"
        if case .string(let name) = element, let guess = Spelling.closest(to: name, among: known) {
          message += "; did you mean '\(guess)'?"
        }
        throw ConfigError(message + " (known: \(known.joined(separator: ", ")))")
      }
      guard !result.contains(augmentation) else {
        throw ConfigError("\(path): \(name) is listed twice")
      }
      result.append(augmentation)
    }
    return result
  }
}
