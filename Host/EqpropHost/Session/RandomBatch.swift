@preconcurrency import CEqprop

/// A minibatch of uniform inputs in [0, 1) and random one-hot targets drawn from a seed: for
/// the checks on random data and for benchmarks, which need no data set.
public enum RandomBatch {
  /// Loads `batch` such examples into `session` (float32 or float64).
  public static func begin(_ session: TrainingSession, batch: Int, seed: UInt64) throws(PluginFailure) {
    let rng = RandomStream(seed: seed)
    let features = Int(session.model.inputShape.reduce(1, *))
    let classes = session.model.classCount
    let labels = (0..<batch).map { _ in Int(rng.below(UInt64(classes))) }
    let double = session.config.dtype == UInt32(EQP_DTYPE_F64)
    try session.beginBatch(examples: Array(0..<batch), labels: labels) { x, y in
      for index in 0..<(batch * features) {
        if double {
          x.assumingMemoryBound(to: Double.self)[index] = rng.uniform()
        } else {
          x.assumingMemoryBound(to: Float.self)[index] = Float(rng.uniform())
        }
      }
      for (row, label) in labels.enumerated() {
        if double {
          y.assumingMemoryBound(to: Double.self)[row * classes + label] = 1
        } else {
          y.assumingMemoryBound(to: Float.self)[row * classes + label] = 1
        }
      }
    }
  }
}
