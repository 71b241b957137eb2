@preconcurrency import CEqprop
@preconcurrency import Glibc

/// The host allocator behind `host->memory`, and tensors allocated from it.
enum HostMemory {
  /// Aligned host heap memory; nil for 0 bytes, a bad alignment or exhaustion.
  static func allocate(bytes: Int, alignment: Int) -> UnsafeMutableRawPointer? {
    let alignment = alignment == 0 ? 64 : alignment
    guard bytes > 0, alignment <= 4096, alignment & (alignment - 1) == 0 else { return nil }
    var pointer: UnsafeMutableRawPointer?
    let padded = (bytes + alignment - 1) / alignment * alignment
    guard posix_memalign(&pointer, max(alignment, MemoryLayout<Int>.size), padded) == 0 else {
      return nil
    }
    return pointer
  }

  /// Bytes per element of a dtype, or nil for an unknown one.
  static func elementSize(_ dtype: UInt32) -> Int? {
    switch Int(dtype) {
    case EQP_DTYPE_F32, EQP_DTYPE_I32: return 4
    case EQP_DTYPE_F64, EQP_DTYPE_I64: return 8
    case EQP_DTYPE_U8: return 1
    default: return nil
    }
  }

  /// One block holds the shape array, then the zeroed data at a 64-byte boundary, so
  /// `tensor_free` finds the block from the view's `shape` pointer.
  static func tensorAlloc(
    dtype: UInt32, ndim: Int32, shape: UnsafePointer<Int64>?, device: Int32,
    out: UnsafeMutablePointer<EQP_Tensor>?, err: OpaquePointer?
  ) -> EQP_Status {
    func refuse(_ code: Int, _ message: String) -> EQP_Status {
      if let err { ErrorSink.from(err).set(EQP_Status(code), "memory.tensor_alloc: \(message)") }
      return EQP_Status(code)
    }
    guard let out else { return refuse(EQP_ERR_INVALID_ARGUMENT, "out is NULL") }
    guard device == Int32(EQP_DEVICE_CPU) else {
      return refuse(EQP_ERR_UNSUPPORTED, "device \(device) is not served; this host has CPU (1)")
    }
    guard let size = elementSize(dtype) else {
      return refuse(EQP_ERR_INVALID_ARGUMENT, "unknown dtype \(dtype)")
    }
    guard (0...8).contains(ndim), ndim == 0 || shape != nil else {
      return refuse(EQP_ERR_INVALID_ARGUMENT, "ndim is \(ndim), must be 0...8 with a shape")
    }
    var count = 1
    for axis in 0..<Int(ndim) {
      let extent = shape?[axis] ?? 0
      guard extent >= 0 else {
        return refuse(EQP_ERR_INVALID_ARGUMENT, "shape[\(axis)] is \(extent), must be ≥ 0")
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: Int(extent))
      guard !overflow else { return refuse(EQP_ERR_INVALID_ARGUMENT, "the shape overflows") }
      count = product
    }
    let header = 64  // room for 8 int64 extents
    let (dataBytes, tooLarge) = count.multipliedReportingOverflow(by: size)
    guard !tooLarge, dataBytes <= Int.max - header else {
      return refuse(EQP_ERR_INVALID_ARGUMENT, "\(count) elements of \(size) bytes overflow the address space")
    }
    guard let block = allocate(bytes: header + max(dataBytes, 1), alignment: 64) else {
      return refuse(EQP_ERR_OUT_OF_MEMORY, "\(dataBytes) bytes could not be allocated")
    }
    memset(block, 0, header + max(dataBytes, 1))
    let extents = block.bindMemory(to: Int64.self, capacity: 8)
    for axis in 0..<Int(ndim) { extents[axis] = shape?[axis] ?? 0 }
    var tensor = EQP_Tensor()
    tensor.data = block + header
    tensor.shape = UnsafePointer(extents)
    tensor.ndim = ndim
    tensor.dtype = dtype
    tensor.device_type = device
    out.pointee = tensor
    return EQP_Status(EQP_OK)
  }

  static func tensorFree(_ tensor: UnsafeMutablePointer<EQP_Tensor>?) {
    guard let tensor, let shape = tensor.pointee.shape else { return }
    free(UnsafeMutableRawPointer(mutating: shape))
    tensor.pointee = EQP_Tensor()
  }

  /// U[low, high) into a contiguous CPU f32/f64 tensor.
  static func fillUniform(
    rng: OpaquePointer?, tensor: UnsafeMutablePointer<EQP_Tensor>?, low: Double, high: Double,
    err: OpaquePointer?
  ) -> EQP_Status {
    func refuse(_ message: String) -> EQP_Status {
      let code = EQP_Status(EQP_ERR_INVALID_ARGUMENT)
      if let err { ErrorSink.from(err).set(code, "rng.fill_uniform: \(message)") }
      return code
    }
    guard let rng, let tensor else { return refuse("rng or tensor is NULL") }
    let view = tensor.pointee
    guard view.strides == nil, view.device_type == Int32(EQP_DEVICE_CPU) else {
      return refuse("the tensor must be a contiguous CPU tensor")
    }
    let stream = RandomStream.from(rng)
    let count = TensorShape.elementCount(view)
    guard count == 0 || view.data != nil else { return refuse("the tensor's data is NULL") }
    guard let base = view.data.map({ $0 + Int(view.byte_offset) }) else {
      return EQP_Status(EQP_OK)
    }
    switch Int(view.dtype) {
    case EQP_DTYPE_F32:
      let values = base.assumingMemoryBound(to: Float.self)
      for i in 0..<count { values[i] = Float(low + (high - low) * stream.uniform()) }
    case EQP_DTYPE_F64:
      let values = base.assumingMemoryBound(to: Double.self)
      for i in 0..<count { values[i] = low + (high - low) * stream.uniform() }
    default:
      return refuse("dtype \(view.dtype) is not f32 (1) or f64 (2)")
    }
    return EQP_Status(EQP_OK)
  }
}

/// Shape arithmetic on tensor views.
enum TensorShape {
  /// The number of elements of a view (1 for a scalar).
  static func elementCount(_ tensor: EQP_Tensor) -> Int {
    var count = 1
    for axis in 0..<Int(max(tensor.ndim, 0)) { count *= Int(tensor.shape?[axis] ?? 0) }
    return count
  }
}
