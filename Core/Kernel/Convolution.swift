import _EqpropKernelSIMD

/// The typed loops behind conv2d, conv2d_transpose and conv2d_weight_grad.
///
/// Why im2col + GEMM: on the 2-core AMD EPYC (AVX2, AVX-512) this project is measured on,
/// OpenBLAS's sgemm runs P-conv's shapes (C_1 over a batch of 20: 64 × 1 280 × 800) at 90–100
/// GFLOP/s on one core, while this module's Swift is compiled for baseline x86-64 (SSE2, no
/// FMA): a direct convolution loop would run at a fraction of that. The im2col copy costs
/// about a fifth of the GEMM there (short rows, copied without calls to memmove). The
/// transposed convolution of a mostly-zero input skips the zeros instead (`transposeSparse`,
/// its loop in C built for AVX2 + FMA), when that is measured to be faster (`sparseDensity`).
///
/// Layouts: an im2col matrix `cols` is patch × n row-major, row (c, u, v), column
/// (example in the chunk, i, j), n = chunk · outPlane; the GEMM's other operand is
/// outChannels × n ("channel-major"). Scratch comes from `ScratchPool`.
enum Convolution {
  // MARK: conv2d

  static func forward<T: KernelFloat>(
    _ g: ConvGeometry, _ plan: ConvPlan, alpha: T, x: UnsafePointer<T>?,
    weight: UnsafePointer<T>?, bias: UnsafePointer<T>?, beta: T, y: UnsafeMutablePointer<T>
  ) {
    ScratchPool.with(bytes: plan.scratchElements * MemoryLayout<T>.stride) { raw in
      let cols = raw.typed(T.self)
      let product = cols + g.patch * plan.chunk * g.outPlane
      var first = 0
      while first < g.batch {
        let count = min(plan.chunk, g.batch - first)
        let n = count * g.outPlane
        if g.patch > 0, let x, let weight {
          im2col(g, x, first: first, count: count, into: cols)
          let shape = plan.shape(m: g.outChannels, n: n, k: g.patch, lda: g.patch, ldb: n, ldc: n)
          Gemm.run(plan.type, shape, alpha: 1, a: weight, b: cols, beta: 0, c: product)
        } else {
          product.update(repeating: 0, count: g.outChannels * n)
        }
        for local in 0..<count {
          for o in 0..<g.outChannels {
            let source = product + o * n + local * g.outPlane
            let target = y + ((first + local) * g.outChannels + o) * g.outPlane
            let shift = bias?[o] ?? 0
            if beta == 0 {
              for q in 0..<g.outPlane { target[q] = alpha * (source[q] + shift) }
            } else {
              for q in 0..<g.outPlane { target[q] = alpha * (source[q] + shift) + beta * target[q] }
            }
          }
        }
        first += count
      }
    }
  }

  // MARK: conv2d_transpose

  /// At most this fraction of nonzeros in y takes the sparse path. Measured on P-conv's C̃_1
  /// (batch 20, y 64 × 8 × 8, float32, one core, best of 3): GEMM + col2im 1.6 ms whatever
  /// the density; the sparse path (AVX2 + FMA) 0.64 ms at a density of 0.1 and 1.08 ms at
  /// 0.2, about 0.2 + 4.4 · density ms: they meet near 0.32. An unpooled 2 × 2 map is at
  /// most 0.25 dense, less where states are zero.
  static let sparseDensity = 0.3

  static func transpose<T: KernelFloat & SparseTranspose>(
    _ g: ConvGeometry, _ plan: ConvPlan, alpha: T, y: UnsafePointer<T>?,
    weight: UnsafePointer<T>?, beta: T, x: UnsafeMutablePointer<T>
  ) {
    guard g.outputCount > 0, g.weightCount > 0, let y, let weight else {
      scale(x, count: g.inputCount, by: beta)
      return
    }
    let nonzeros = countNonzero(g.outputCount, y)
    if Double(nonzeros) <= sparseDensity * Double(g.outputCount) {
      transposeSparse(g, alpha: alpha, y: y, weight: weight, beta: beta, x: x)
    } else {
      transposeDense(g, plan, alpha: alpha, y: y, weight: weight, beta: beta, x: x)
    }
  }

  /// GEMM cols = alpha · weightᵀ · y (channel-major), then col2im adds cols into x.
  static func transposeDense<T: KernelFloat>(
    _ g: ConvGeometry, _ plan: ConvPlan, alpha: T, y: UnsafePointer<T>,
    weight: UnsafePointer<T>, beta: T, x: UnsafeMutablePointer<T>
  ) {
    scale(x, count: g.inputCount, by: beta)
    ScratchPool.with(bytes: plan.scratchElements * MemoryLayout<T>.stride) { raw in
      let cols = raw.typed(T.self)
      let channelMajor = cols + g.patch * plan.chunk * g.outPlane
      var first = 0
      while first < g.batch {
        let count = min(plan.chunk, g.batch - first)
        let n = count * g.outPlane
        gatherChannelMajor(g, y, first: first, count: count, into: channelMajor)
        let shape = plan.shape(
          transA: true, m: g.patch, n: n, k: g.outChannels, lda: g.patch, ldb: n, ldc: n)
        Gemm.run(
          plan.type, shape, alpha: Double(alpha), a: weight, b: channelMajor, beta: 0, c: cols)
        col2im(g, cols, first: first, count: count, into: x)
        first += count
      }
    }
  }

  /// The transposed convolution over the nonzeros of y only.
  ///
  /// Per example, a channel-last accumulator acc[ih][iw][c] (small enough to stay in L1) gets,
  /// for every nonzero y[o, i, j] and kernel row u, one contiguous axpy: the kernel row's
  /// taps v that land inside the image, all input channels, are contiguous both in the
  /// repacked weight w[o][u][v][c] and in acc (input columns j·stride + v − pad). Scanning y
  /// channel by channel keeps w[o] in L1 too. The work is nonzeros · patch multiply-adds, in
  /// C compiled for AVX2 + FMA when the CPU has them (_EqpropKernelSIMD); acc is then written
  /// to x (NCHW) with alpha and beta.
  static func transposeSparse<T: KernelFloat & SparseTranspose>(
    _ g: ConvGeometry, alpha: T, y: UnsafePointer<T>, weight: UnsafePointer<T>, beta: T,
    x: UnsafeMutablePointer<T>
  ) {
    let perInput = g.inChannels * g.inPlane
    let perOutput = g.outChannels * g.outPlane
    let dims = EqpSimdConv(
      in_channels: Int64(g.inChannels), in_h: Int64(g.inH), in_w: Int64(g.inW),
      out_channels: Int64(g.outChannels), out_h: Int64(g.outH), out_w: Int64(g.outW),
      kernel_h: Int64(g.kernelH), kernel_w: Int64(g.kernelW), stride_h: Int64(g.strideH),
      stride_w: Int64(g.strideW), pad_h: Int64(g.padH), pad_w: Int64(g.padW))
    // Examples are independent: each thread takes a range of them with an accumulator of its own.
    let threads = WorkerPool.threads
    ScratchPool.with(bytes: (g.weightCount + threads * perInput) * MemoryLayout<T>.stride) { raw in
      let packed = raw.typed(T.self)
      pack(g, weight, into: packed)
      WorkerPool.forEachRange(g.batch, parallel: g.batch > 1) { part, examples in
        let acc = packed + g.weightCount + part * perInput
        for b in examples {
          acc.update(repeating: 0, count: perInput)
          withUnsafePointer(to: dims) {
            T.accumulateTransposed($0, y + b * perOutput, UnsafePointer(packed), acc)
          }
          let target = x + b * perInput
          for c in 0..<g.inChannels {
            let channel = target + c * g.inPlane
            for pixel in 0..<g.inPlane {
              let sum = alpha * acc[pixel * g.inChannels + c]
              channel[pixel] = beta == 0 ? sum : sum + beta * channel[pixel]
            }
          }
        }
      }
    }
  }

  /// packed[o, u, v, c] = weight[o, c, u, v]: input channels last.
  static func pack<T: KernelFloat>(
    _ g: ConvGeometry, _ weight: UnsafePointer<T>, into packed: UnsafeMutablePointer<T>
  ) {
    let taps = g.kernelH * g.kernelW
    for o in 0..<g.outChannels {
      for c in 0..<g.inChannels {
        let source = weight + (o * g.inChannels + c) * taps
        let target = packed + o * taps * g.inChannels + c
        for tap in 0..<taps { target[tap * g.inChannels] = source[tap] }
      }
    }
  }

  // MARK: conv2d_weight_grad

  static func weightGrad<T: KernelFloat>(
    _ g: ConvGeometry, _ plan: ConvPlan, alpha: T, x: UnsafePointer<T>?, dy: UnsafePointer<T>,
    weightGrad: UnsafeMutablePointer<T>?, biasGrad: UnsafeMutablePointer<T>?
  ) {
    ScratchPool.with(bytes: plan.scratchElements * MemoryLayout<T>.stride) { raw in
      let cols = raw.typed(T.self)
      let channelMajor = cols + g.patch * plan.chunk * g.outPlane
      var first = 0
      while first < g.batch {
        let count = min(plan.chunk, g.batch - first)
        let n = count * g.outPlane
        gatherChannelMajor(g, dy, first: first, count: count, into: channelMajor)
        if g.weightCount > 0, let x, let weightGrad {
          im2col(g, x, first: first, count: count, into: cols)
          let shape = plan.shape(
            transB: true, m: g.outChannels, n: g.patch, k: n, lda: n, ldb: n, ldc: g.patch)
          Gemm.run(
            plan.type, shape, alpha: Double(alpha), a: channelMajor, b: cols, beta: 1,
            c: weightGrad)
        }
        if let biasGrad {
          for o in 0..<g.outChannels {
            var sum = T.Vector()
            VectorLoop.forEach(n, UnsafePointer(channelMajor + o * n)) { sum += $0 }
            biasGrad[o] += alpha * sum.sum()
          }
        }
        first += count
      }
    }
  }

  // MARK: Shared loops

  /// im2col and col2im split their channels across the kernel's threads from this many
  /// elements of cols on (a few tens of microseconds of copying; a hand-off costs about one).
  static let parallelElements = 1 << 15

  /// cols[(c, u, v), (example, i, j)] = x[first + example, c, i·stride + u − pad, j·stride +
  /// v − pad], 0 outside the image.
  static func im2col<T: KernelFloat>(
    _ g: ConvGeometry, _ x: UnsafePointer<T>, first: Int, count: Int,
    into cols: UnsafeMutablePointer<T>
  ) {
    let n = count * g.outPlane
    WorkerPool.forEachRange(g.inChannels, parallel: g.patch * n >= parallelElements) {
      _, channels in
      for c in channels {
        for u in 0..<g.kernelH {
          let rows = g.validRows(u)
          for v in 0..<g.kernelW {
            let columns = g.validColumns(v)
            let row = cols + ((c * g.kernelH + u) * g.kernelW + v) * n
            for local in 0..<count {
              let plane = x + ((first + local) * g.inChannels + c) * g.inPlane
              let block = row + local * g.outPlane
              for i in 0..<g.outH {
                let target = block + i * g.outW
                guard i >= rows.lower, i < rows.upper else {
                  target.update(repeating: 0, count: g.outW)
                  continue
                }
                let source = plane + (i * g.strideH + u - g.padH) * g.inW + v - g.padW
                for j in 0..<columns.lower { target[j] = 0 }
                if g.strideW == 1 {
                  copy(
                    columns.upper - columns.lower, source + columns.lower, target + columns.lower)
                } else {
                  for j in columns.lower..<columns.upper { target[j] = source[j * g.strideW] }
                }
                for j in columns.upper..<g.outW { target[j] = 0 }
              }
            }
          }
        }
      }
    }
  }

  /// x[first + example, c, i·stride + u − pad, j·stride + v − pad] += cols[(c, u, v),
  /// (example, i, j)] for the positions inside the image: the adjoint of `im2col`.
  static func col2im<T: KernelFloat>(
    _ g: ConvGeometry, _ cols: UnsafePointer<T>, first: Int, count: Int,
    into x: UnsafeMutablePointer<T>
  ) {
    let n = count * g.outPlane
    // Channels write disjoint planes of x.
    WorkerPool.forEachRange(g.inChannels, parallel: g.patch * n >= parallelElements) {
      _, channels in
      for c in channels {
        for u in 0..<g.kernelH {
          let rows = g.validRows(u)
          for v in 0..<g.kernelW {
            let columns = g.validColumns(v)
            let row = cols + ((c * g.kernelH + u) * g.kernelW + v) * n
            for local in 0..<count {
              let plane = x + ((first + local) * g.inChannels + c) * g.inPlane
              let block = row + local * g.outPlane
              for i in rows.lower..<rows.upper {
                let source = block + i * g.outW
                let target = plane + (i * g.strideH + u - g.padH) * g.inW + v - g.padW
                for j in columns.lower..<columns.upper { target[j * g.strideW] += source[j] }
              }
            }
          }
        }
      }
    }
  }

  /// y[0..<n] = x[0..<n] for the short rows of im2col (a handful of elements, where a call
  /// to memmove costs more than the copy).
  @inline(__always)
  static func copy<T: KernelFloat>(_ n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    let width = T.Vector.scalarCount
    var k = 0
    while k + width <= n {
      y.store(x.vector(at: k), at: k)
      k += width
    }
    while k < n {
      y[k] = x[k]
      k += 1
    }
  }

  /// out[o, (example, q)] = y[first + example, o, q]: NCHW to channel-major for a chunk.
  static func gatherChannelMajor<T: KernelFloat>(
    _ g: ConvGeometry, _ y: UnsafePointer<T>, first: Int, count: Int,
    into out: UnsafeMutablePointer<T>
  ) {
    let n = count * g.outPlane
    for local in 0..<count {
      for o in 0..<g.outChannels {
        (out + o * n + local * g.outPlane).update(
          from: y + ((first + local) * g.outChannels + o) * g.outPlane, count: g.outPlane)
      }
    }
  }

  /// x = beta · x; beta = 0 writes zeros without reading x (NaN included).
  static func scale<T: KernelFloat>(_ x: UnsafeMutablePointer<T>, count: Int, by beta: T) {
    if beta == 0 {
      x.update(repeating: 0, count: count)
    } else if beta != 1 {
      VectorLoop.map(count, UnsafePointer(x), x) { $0 * beta }
    }
  }

  /// The number of elements that are not zero (NaN counts as nonzero), with vector compares
  /// and no branch on the data. Lane counts are kept in T (exact to 2^24 in Float), so blocks
  /// of 2^20 go into an Int.
  static func countNonzero<T: KernelFloat>(_ n: Int, _ x: UnsafePointer<T>) -> Int {
    let block = 1 << 20
    let zero = T.Vector()
    var total = 0
    var start = 0
    while start < n {
      let count = min(block, n - start)
      var lanes = T.Vector()
      // The partial last vector is padded with zeros, which are not counted.
      VectorLoop.forEach(count, x + start) { a in
        let nonzero = T.lanes(a, lessThan: zero) .| T.lanes(zero, lessThan: a) .| T.nanLanes(a)
        lanes = lanes.replacing(with: lanes + 1, where: nonzero)
      }
      total += Int(lanes.sum())
      start += count
    }
    return total
  }
}
