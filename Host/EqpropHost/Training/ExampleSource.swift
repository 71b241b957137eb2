/// A labelled set of examples the trainer can batch: image data, or data a test makes.
public protocol ExampleSource {
  var count: Int { get }
  /// Elements of one example's input (784 for MNIST).
  var featureCount: Int { get }
  func label(_ index: Int) -> Int
  /// Writes the inputs of `indices` (batch-major) and their one-hot targets into zeroed
  /// buffers of `dtype` (EQP_DTYPE_F32 or _F64). `epoch` (0-based) is the training epoch the
  /// batch belongs to: a source that augments draws from it; others ignore it.
  func fill(
    _ indices: ArraySlice<Int>, epoch: Int, input: UnsafeMutableRawPointer,
    target: UnsafeMutableRawPointer, dtype: UInt32, classes: Int)
}
