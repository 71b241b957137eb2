@preconcurrency import CEqprop

/// An ordered list of host-owned tensors (states, gradients, θ) behind `EQP_TensorSet *`.
/// The views sit in one contiguous C array, so plugins get `EQP_Tensor *` directly.
public final class TensorSet {
  public let count: Int
  let views: UnsafeMutablePointer<EQP_Tensor>
  let dtype: UInt32

  /// Allocates zeroed tensors of the given shapes.
  init(dtype: UInt32, shapes: [[Int64]]) throws(PluginFailure) {
    count = shapes.count
    self.dtype = dtype
    views = .allocate(capacity: max(shapes.count, 1))
    views.initialize(repeating: EQP_Tensor(), count: max(shapes.count, 1))
    let sink = ErrorSink()
    for (index, shape) in shapes.enumerated() {
      let status = shape.withUnsafeBufferPointer {
        HostMemory.tensorAlloc(
          dtype: dtype, ndim: Int32(shape.count), shape: $0.baseAddress,
          device: Int32(EQP_DEVICE_CPU), out: views + index, err: sink.pointer)
      }
      guard status == EQP_Status(EQP_OK) else {
        release()
        throw PluginFailure("allocating a tensor of shape \(shape): \(sink.describe(status))")
      }
    }
  }

  deinit { release() }

  private func release() {
    for index in 0..<count { HostMemory.tensorFree(views + index) }
    views.deallocate()
  }

  /// The opaque pointer plugins receive; valid while this set is alive.
  var pointer: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

  static func from(_ pointer: OpaquePointer) -> TensorSet {
    Unmanaged<TensorSet>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  subscript(index: Int) -> EQP_Tensor { views[index] }

  func elementCount(_ index: Int) -> Int { TensorShape.elementCount(views[index]) }

  func data(_ index: Int) -> UnsafeMutableRawPointer? { views[index].data }

  /// Sets every element to zero.
  func zero() {
    for index in 0..<count {
      guard let data = views[index].data else { continue }
      data.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount(index))
    }
  }

  /// Copies every tensor of `source` (same shapes) into this set.
  func copy(from source: TensorSet) throws(PluginFailure) {
    guard source.count == count, source.dtype == dtype,
      (0..<count).allSatisfy({ source.elementCount($0) == elementCount($0) })
    else { throw PluginFailure("set_copy: the two tensor sets differ in count or shapes") }
    for index in 0..<count {
      guard let target = views[index].data, let origin = source.views[index].data else { continue }
      target.copyMemory(from: origin, byteCount: byteCount(index))
    }
  }

  func byteCount(_ index: Int) -> Int {
    elementCount(index) * (HostMemory.elementSize(dtype) ?? 0)
  }

  /// The raw bytes of tensor `index` (checkpoints).
  func bytes(_ index: Int) -> [UInt8] {
    guard let data = views[index].data else { return [] }
    return Array(UnsafeRawBufferPointer(start: data, count: byteCount(index)))
  }

  /// Overwrites tensor `index` with `bytes`; false (nothing changed) when the sizes differ.
  func setBytes(_ index: Int, _ bytes: [UInt8]) -> Bool {
    guard index < count, bytes.count == byteCount(index), let data = views[index].data else { return false }
    bytes.withUnsafeBytes { source in
      if let base = source.baseAddress { data.copyMemory(from: base, byteCount: bytes.count) }
    }
    return true
  }

  /// The elements of tensor `index` as Doubles (checks, checkpoints, tests).
  func values(_ index: Int) -> [Double] {
    let count = elementCount(index)
    guard let data = views[index].data else { return [] }
    if dtype == UInt32(EQP_DTYPE_F64) {
      return Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Double.self), count: count))
    }
    return UnsafeBufferPointer(start: data.assumingMemoryBound(to: Float.self), count: count).map(Double.init)
  }
}
