/// One named tensor of a safetensors file: its element type, its shape and its data as
/// little-endian bytes, row-major.
public struct SafetensorsTensor: Sendable, Equatable {
  public var name: String
  public var dtype: SafetensorsDType
  /// Sizes per axis; `[]` is a scalar (one element), a 0 anywhere makes an empty tensor.
  public var shape: [Int]
  /// `elementCount × dtype.byteCount` bytes, little-endian.
  public var bytes: [UInt8]

  public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// The product of the shape (1 for a scalar), or nil when a size is negative or the product
  /// overflows.
  public var elementCount: Int? {
    var product = 1
    for size in shape {
      guard size >= 0 else { return nil }
      let (next, overflow) = product.multipliedReportingOverflow(by: size)
      if overflow { return nil }
      product = next
    }
    return product
  }

  /// The byte count the shape and dtype call for, or nil as for `elementCount`.
  var expectedByteCount: Int? {
    guard let elementCount else { return nil }
    let (bytes, overflow) = elementCount.multipliedReportingOverflow(by: dtype.byteCount)
    return overflow ? nil : bytes
  }
}
