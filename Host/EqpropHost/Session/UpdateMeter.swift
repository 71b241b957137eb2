@preconcurrency import CEqprop

/// Measures how far one batch moves each parameter tensor: ‖θ_after − θ_before‖₂ /
/// ‖θ_before‖₂, the relative update size that tells a learning rate too small (≈ 1e-6) from
/// one too large (≈ 1e-1).
///
/// Holds one copy of θ, made once and refilled by `snapshot`.
final class UpdateMeter {
  private let before: TensorSet

  init(_ session: TrainingSession) throws(PluginFailure) {
    before = try TensorSet(dtype: session.config.dtype, shapes: session.model.parameterShapes)
  }

  /// Copies θ as it is now (call it just before the batch).
  func snapshot(_ session: TrainingSession) throws(PluginFailure) {
    try before.copy(from: session.parameters)
  }

  /// The relative change of each tensor since `snapshot`, by parameter name; a tensor that
  /// was all zeros has no relative change and is left out.
  func relativeChanges(_ session: TrainingSession) -> [(name: String, value: Double)] {
    session.model.parameters.enumerated().compactMap { index, parameter in
      guard let after = session.parameters.data(index), let origin = before.data(index) else {
        return nil
      }
      let count = before.elementCount(index)
      let (change, size) =
        before.dtype == UInt32(EQP_DTYPE_F64)
        ? Self.norms(
          after.assumingMemoryBound(to: Double.self), origin.assumingMemoryBound(to: Double.self),
          count)
        : Self.norms(
          after.assumingMemoryBound(to: Float.self), origin.assumingMemoryBound(to: Float.self),
          count)
      return size > 0 ? (parameter.name, (change / size).squareRoot()) : nil
    }
  }

  /// ‖a − b‖² and ‖b‖², summed in Double.
  private static func norms<T: BinaryFloatingPoint>(
    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ count: Int
  ) -> (change: Double, size: Double) {
    var change = 0.0
    var size = 0.0
    for index in 0..<count {
      let origin = Double(b[index])
      let difference = Double(a[index]) - origin
      change += difference * difference
      size += origin * origin
    }
    return (change, size)
  }
}
