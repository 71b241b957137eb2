/// The element types eqprop stores in safetensors files, named as the format names them.
public enum SafetensorsDType: String, Sendable, CaseIterable {
  /// IEEE 754 binary32, little-endian: parameters and optimizer state in training.
  case f32 = "F32"
  /// IEEE 754 binary64, little-endian: the gradient-matching checks.
  case f64 = "F64"

  /// Bytes per element.
  public var byteCount: Int {
    switch self {
    case .f32: return 4
    case .f64: return 8
    }
  }
}
