extension ImageExamples {
  /// A split of the data the config's `data:` section names, cut to its training or test
  /// limit; the training split carries the config's augmentations.
  public static func load(_ split: DataSplit, of config: RunConfig) throws(PluginFailure) -> ImageExamples {
    let limit = split == .train ? config.trainLimit : config.testLimit
    do {
      let folder = try DataFolder(config.data.dir)
      return ImageExamples(
        images: try folder.load(split, limit: limit > 0 ? limit : nil),
        augment: split == .train ? config.data.augment : [], seed: config.seed,
        origin: folder.description)
    } catch {
      throw PluginFailure("\(error)")
    }
  }

  /// Refuses a model whose input is not one of these images: the element counts must agree,
  /// and a model that takes an image ([channels, rows, cols]) must take this shape.
  public func checkInput(of model: ModelBinding) throws(PluginFailure) {
    let expected = model.inputShape.map(Int.init)
    let fits =
      expected.reduce(1, *) == featureCount && (expected.count == 1 || expected == images.shape)
    guard fits else {
      throw PluginFailure(
        "model '\(model.plugin.id)' takes inputs of \(expected.reduce(1, *)) values (shape "
          + "\(expected)), but the \(origin) hold \(featureCount) per example (shape "
          + "\(images.shape)); configure the model's input for this data or choose other data")
    }
  }
}
