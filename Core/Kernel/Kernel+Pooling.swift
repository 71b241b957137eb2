extension CPUKernel {
  /// Max pooling of x [batch, channels, inH, inW] over poolH × poolW windows moved by
  /// (strideH, strideW), no padding: y [batch, channels, outH, outW] and, when indices is not
  /// NULL, where each maximum sits (h · inW + w within its plane).
  ///
  /// Tie rule: the FIRST maximum in row-major order within the window wins (a later equal
  /// value does not replace it); a window holding NaN gives NaN and its first NaN's index.
  public static func maxpool2d(
    dtype: UInt32, batch: Int64, channels: Int64, inH: Int64, inW: Int64, poolH: Int64,
    poolW: Int64, strideH: Int64, strideW: Int64, x: UnsafeRawPointer?,
    y: UnsafeMutableRawPointer?, indices: UnsafeMutablePointer<Int64>?
  ) throws(KernelError) {
    let check = Check(op: "maxpool2d")
    let type = try check.dtype(dtype)
    let g = try PoolGeometry(
      check, batch: batch, channels: channels, inH: inH, inW: inW, poolH: poolH, poolW: poolW,
      strideH: strideH, strideW: strideW)
    try check.pointer("x", x, used: g.outputCount > 0, type)
    try check.pointer("y", y, used: g.outputCount > 0, type)
    try check.pointer(
      "indices", indices, used: indices != nil && g.outputCount > 0,
      alignment: MemoryLayout<Int64>.alignment)
    guard g.outputCount > 0, let x, let y else { return }
    switch type {
    case .f32: Pooling.max(g, x.typed(Float.self), y.typed(Float.self), indices)
    case .f64: Pooling.max(g, x.typed(Double.self), y.typed(Double.self), indices)
    }
  }

  /// y [batch, channels, inH, inW] = 0 except y[b, c, indices[b, c, k]] += x[b, c, k] over
  /// x [batch, channels, outH, outW]: max-unpooling, the adjoint of `poolGather2d`.
  /// Every index is checked to lie in its plane before y is written.
  public static func maxunpool2d(
    dtype: UInt32, batch: Int64, channels: Int64, inH: Int64, inW: Int64, outH: Int64,
    outW: Int64, x: UnsafeRawPointer?, indices: UnsafePointer<Int64>?,
    y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "maxunpool2d")
    let type = try check.dtype(dtype)
    let g = try PoolGeometry(
      check, batch: batch, channels: channels, inH: inH, inW: inW, outH: outH, outW: outW)
    try check.pointer("x", x, used: g.outputCount > 0, type)
    try check.pointer(
      "indices", indices, used: g.outputCount > 0, alignment: MemoryLayout<Int64>.alignment)
    try check.pointer("y", y, used: g.inputCount > 0, type)
    if let indices { try check.indices(indices, g) }
    guard g.inputCount > 0, let y else { return }
    switch type {
    case .f32: Pooling.unpool(g, x?.typed(Float.self), indices, y.typed(Float.self))
    case .f64: Pooling.unpool(g, x?.typed(Double.self), indices, y.typed(Double.self))
    }
  }

  /// y[b, c, k] = x[b, c, indices[b, c, k]]: pooling at given indices, the adjoint of
  /// `maxunpool2d` (the derivative of maxpool2d with its indices held fixed).
  public static func poolGather2d(
    dtype: UInt32, batch: Int64, channels: Int64, inH: Int64, inW: Int64, outH: Int64,
    outW: Int64, x: UnsafeRawPointer?, indices: UnsafePointer<Int64>?,
    y: UnsafeMutableRawPointer?
  ) throws(KernelError) {
    let check = Check(op: "pool_gather2d")
    let type = try check.dtype(dtype)
    let g = try PoolGeometry(
      check, batch: batch, channels: channels, inH: inH, inW: inW, outH: outH, outW: outW)
    try check.pointer("x", x, used: g.outputCount > 0, type)
    try check.pointer(
      "indices", indices, used: g.outputCount > 0, alignment: MemoryLayout<Int64>.alignment)
    try check.pointer("y", y, used: g.outputCount > 0, type)
    if let indices { try check.indices(indices, g) }
    guard g.outputCount > 0, let x, let indices, let y else { return }
    switch type {
    case .f32: Pooling.gather(g, x.typed(Float.self), indices, y.typed(Float.self))
    case .f64: Pooling.gather(g, x.typed(Double.self), indices, y.typed(Double.self))
    }
  }
}

/// A pooling's planes: x [batch, channels, inH, inW] (pooled from) and y [batch, channels,
/// outH, outW] (pooled), with the window when the op pools.
struct PoolGeometry {
  let planes, inH, inW, outH, outW: Int
  var poolH = 1, poolW = 1, strideH = 1, strideW = 1
  let inPlane, outPlane, inputCount, outputCount: Int

  /// For maxpool2d: the output size follows from the window.
  init(
    _ check: Check, batch: Int64, channels: Int64, inH: Int64, inW: Int64, poolH: Int64,
    poolW: Int64, strideH: Int64, strideW: Int64
  ) throws(KernelError) {
    try check.atLeast("pool_h", Int(poolH), 1)
    try check.atLeast("pool_w", Int(poolW), 1)
    try check.atLeast("stride_h", Int(strideH), 1)
    try check.atLeast("stride_w", Int(strideW), 1)
    let outH = try check.pooledSize("h", Int(inH), window: Int(poolH), stride: Int(strideH))
    let outW = try check.pooledSize("w", Int(inW), window: Int(poolW), stride: Int(strideW))
    try self.init(
      check, batch: batch, channels: channels, inH: inH, inW: inW, outH: Int64(outH),
      outW: Int64(outW))
    self.poolH = Int(poolH)
    self.poolW = Int(poolW)
    self.strideH = Int(strideH)
    self.strideW = Int(strideW)
  }

  /// For maxunpool2d and pool_gather2d: both sizes given, the indices say where.
  init(
    _ check: Check, batch: Int64, channels: Int64, inH: Int64, inW: Int64, outH: Int64,
    outW: Int64
  ) throws(KernelError) {
    try check.count("batch", Int(batch))
    try check.count("channels", Int(channels))
    for (name, value) in [("in_h", inH), ("in_w", inW), ("out_h", outH), ("out_w", outW)] {
      try check.atLeast(name, Int(value), 1)
    }
    self.inH = Int(inH)
    self.inW = Int(inW)
    self.outH = Int(outH)
    self.outW = Int(outW)
    planes = try check.product(Int(batch), Int(channels), names: "batch × channels")
    inPlane = try check.product(self.inH, self.inW, names: "in_h × in_w")
    outPlane = try check.product(self.outH, self.outW, names: "out_h × out_w")
    inputCount = try check.product(planes, inPlane, names: "the size of the pooled-from tensor")
    outputCount = try check.product(planes, outPlane, names: "the size of the pooled tensor")
  }
}

extension Check {
  /// Every index lies in [0, inPlane): read once, before anything is written.
  func indices(_ indices: UnsafePointer<Int64>, _ g: PoolGeometry) throws(KernelError) {
    let limit = Int64(g.inPlane)
    for k in 0..<g.outputCount where indices[k] < 0 || indices[k] >= limit {
      throw .invalid(
        "kernel.\(op): indices[\(k)] is \(indices[k]), must lie in [0, \(limit)) (in_h × in_w)")
    }
  }
}

/// The typed loops behind maxpool2d, maxunpool2d and pool_gather2d (direct loops: they move
/// a few elements per output and cost little next to the convolutions).
enum Pooling {
  static func max<T: KernelFloat>(
    _ g: PoolGeometry, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
    _ indices: UnsafeMutablePointer<Int64>?
  ) {
    for p in 0..<g.planes {
      let plane = x + p * g.inPlane
      for i in 0..<g.outH {
        for j in 0..<g.outW {
          let top = i * g.strideH
          let left = j * g.strideW
          var best = plane[top * g.inW + left]
          var at = top * g.inW + left
          if !best.isNaN {
            scan: for h in top..<(top + g.poolH) {
              for w in left..<(left + g.poolW) {
                let value = plane[h * g.inW + w]
                if value.isNaN {
                  best = value
                  at = h * g.inW + w
                  break scan
                }
                if value > best {
                  best = value
                  at = h * g.inW + w
                }
              }
            }
          }
          let k = p * g.outPlane + i * g.outW + j
          y[k] = best
          indices?[k] = Int64(at)
        }
      }
    }
  }

  static func unpool<T: KernelFloat>(
    _ g: PoolGeometry, _ x: UnsafePointer<T>?, _ indices: UnsafePointer<Int64>?,
    _ y: UnsafeMutablePointer<T>
  ) {
    y.update(repeating: 0, count: g.inputCount)
    guard let x, let indices else { return }
    for p in 0..<g.planes {
      let target = y + p * g.inPlane
      for k in (p * g.outPlane)..<((p + 1) * g.outPlane) { target[Int(indices[k])] += x[k] }
    }
  }

  static func gather<T: KernelFloat>(
    _ g: PoolGeometry, _ x: UnsafePointer<T>, _ indices: UnsafePointer<Int64>,
    _ y: UnsafeMutablePointer<T>
  ) {
    for p in 0..<g.planes {
      let source = x + p * g.inPlane
      for k in (p * g.outPlane)..<((p + 1) * g.outPlane) { y[k] = source[Int(indices[k])] }
    }
  }
}
