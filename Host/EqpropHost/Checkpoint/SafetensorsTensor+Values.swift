extension SafetensorsTensor {
  /// An F32 tensor holding `values`, which must number the product of `shape`.
  public init(name: String, shape: [Int], values: [Float]) {
    let bits = values.map { $0.bitPattern.littleEndian }
    self.init(name: name, dtype: .f32, shape: shape, bytes: bits.withUnsafeBytes { Array($0) })
  }

  /// An F64 tensor holding `values`, which must number the product of `shape`.
  public init(name: String, shape: [Int], values: [Double]) {
    let bits = values.map { $0.bitPattern.littleEndian }
    self.init(name: name, dtype: .f64, shape: shape, bytes: bits.withUnsafeBytes { Array($0) })
  }

  /// The values of an F32 tensor; nil for another dtype.
  public func floats() -> [Float]? {
    guard dtype == .f32 else { return nil }
    return bytes.withUnsafeBytes { raw in
      (0..<(raw.count / 4)).map { index in
        let bits = raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)
        return Float(bitPattern: UInt32(littleEndian: bits))
      }
    }
  }

  /// The values of an F64 tensor; nil for another dtype.
  public func doubles() -> [Double]? {
    guard dtype == .f64 else { return nil }
    return bytes.withUnsafeBytes { raw in
      (0..<(raw.count / 8)).map { index in
        let bits = raw.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)
        return Double(bitPattern: UInt64(littleEndian: bits))
      }
    }
  }
}
