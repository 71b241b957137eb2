/// A labelled set of examples the trainer can batch: MNIST-format IDX data, or data a test
/// makes.
public protocol ExampleSource {
  var count: Int { get }
  /// Elements of one example's input (784 for MNIST).
  var featureCount: Int { get }
  func label(_ index: Int) -> Int
  /// Writes the inputs of `indices` (batch-major) and their one-hot targets into zeroed
  /// buffers of `dtype` (EQP_DTYPE_F32 or _F64).
  func fill(
    _ indices: ArraySlice<Int>, input: UnsafeMutableRawPointer, target: UnsafeMutableRawPointer,
    dtype: UInt32, classes: Int)
}
