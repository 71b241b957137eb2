/// A random transformation of training images, named in the config's `data.augment` list.
/// Test images are never augmented.
public enum Augmentation: String, CaseIterable, Sendable {
  /// Mirror the image left–right, with probability ½.
  case flip
  /// Pad each side with 4 zero pixels and cut out a window of the original size at a uniform
  /// offset (torchvision's `RandomCrop(size, padding=4)`).
  case crop
}
