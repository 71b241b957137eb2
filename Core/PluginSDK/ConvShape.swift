/// The forward geometry of a 2-D convolution, as the kernel's conv2d entries take it: x
/// [batch, inChannels, inH, inW], weight [outChannels, inChannels, kernelH, kernelW], y
/// [batch, outChannels, outH, outW] (NCHW), zero padding, cross-correlation.
public struct ConvShape: Equatable, Sendable {
  public var batch, inChannels, inH, inW, outChannels: Int
  public var kernelH, kernelW, strideH, strideW, padH, padW: Int

  public init(
    batch: Int, inChannels: Int, inH: Int, inW: Int, outChannels: Int, kernel: (Int, Int),
    stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)
  ) {
    self.batch = batch
    self.inChannels = inChannels
    self.inH = inH
    self.inW = inW
    self.outChannels = outChannels
    (kernelH, kernelW) = kernel
    (strideH, strideW) = stride
    (padH, padW) = padding
  }

  /// (inH + 2·padH − kernelH) / strideH + 1, rounded down (< 1 when the kernel does not fit).
  public var outH: Int { Self.convolved(inH, padH, kernelH, strideH) }
  public var outW: Int { Self.convolved(inW, padW, kernelW, strideW) }

  /// Elements per example of x and y; of the weight.
  public var inputPerExample: Int { inChannels * inH * inW }
  public var outputPerExample: Int { outChannels * outH * outW }
  public var weightCount: Int { outChannels * inChannels * kernelH * kernelW }

  static func convolved(_ size: Int, _ pad: Int, _ kernel: Int, _ stride: Int) -> Int {
    let span = size + 2 * pad - kernel
    return span < 0 || stride < 1 ? 0 : span / stride + 1
  }
}

/// A max pooling of x [batch, channels, inH, inW] over windows moved by stride, no padding:
/// y and its indices [batch, channels, outH, outW].
public struct PoolShape: Equatable, Sendable {
  public var batch, channels, inH, inW, poolH, poolW, strideH, strideW: Int

  /// Non-overlapping square windows (stride = pool), as P-conv and Laborieux et al. 2021 use.
  public init(batch: Int, channels: Int, inH: Int, inW: Int, pool: Int) {
    self.init(
      batch: batch, channels: channels, inH: inH, inW: inW, window: (pool, pool),
      stride: (pool, pool))
  }

  public init(
    batch: Int, channels: Int, inH: Int, inW: Int, window: (Int, Int), stride: (Int, Int)
  ) {
    self.batch = batch
    self.channels = channels
    self.inH = inH
    self.inW = inW
    (poolH, poolW) = window
    (strideH, strideW) = stride
  }

  /// (inH − poolH) / strideH + 1, rounded down (< 1 when the window does not fit).
  public var outH: Int { inH < poolH || strideH < 1 ? 0 : (inH - poolH) / strideH + 1 }
  public var outW: Int { inW < poolW || strideW < 1 ? 0 : (inW - poolW) / strideW + 1 }
  public var outputPerExample: Int { channels * outH * outW }
}
