@preconcurrency import CEqprop

extension EQP_Tensor {
  /// Number of elements (1 for a scalar).
  public var elementCount: Int {
    var count = 1
    for axis in 0..<Int(max(ndim, 0)) { count *= Int(shape?[axis] ?? 0) }
    return count
  }

  /// The address of the first element (data + byte_offset).
  public var baseAddress: UnsafeMutableRawPointer? {
    data.map { $0 + Int(byte_offset) }
  }
}

/// Host-allocated tensors a plugin keeps between calls (scratch buffers), freed together.
public final class HostTensors {
  public private(set) var tensors: [EQP_Tensor] = []

  public init() {}
  deinit { removeAll() }

  /// Allocates a zeroed tensor of `shape` and appends it.
  public func append(dtype: UInt32, shape: [Int64], err: OpaquePointer?) throws(PluginError) {
    guard let memory = PluginHost.memory?.pointee, let allocate = memory.tensor_alloc else {
      throw PluginError(.abiMismatch, "the host offers no tensor allocator")
    }
    var tensor = EQP_Tensor()
    let status = shape.withUnsafeBufferPointer {
      allocate(dtype, Int32(shape.count), $0.baseAddress, Int32(EQP_DEVICE_CPU), &tensor, err)
    }
    try PluginError.check(status, "allocating a tensor of shape \(shape)")
    tensors.append(tensor)
  }

  /// Frees every tensor.
  public func removeAll() {
    let release = PluginHost.memory?.pointee.tensor_free
    for index in tensors.indices { release?(&tensors[index]) }
    tensors.removeAll()
  }
}
