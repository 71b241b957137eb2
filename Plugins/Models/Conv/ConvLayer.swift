import EqpropPluginSDK

/// One convolution C_k of the network and the state s_k it feeds: C_k maps s_{k+1} (or the
/// input x for the last k) to a conv map, max-pooled into s_k.
///
/// Sizes per example, NCHW: input [inChannels, inH, inW], conv map [channels, convH, convW],
/// state [channels, outH, outW] with out = (conv − pool) / pool + 1 (non-overlapping windows,
/// rounded down). pool = 1 means no pooling: the state is the conv map.
struct ConvLayer {
  let inChannels, inH, inW: Int
  let channels, kernel, stride, padding, pool: Int

  var convH: Int { shape(batch: 1).outH }
  var convW: Int { shape(batch: 1).outW }
  var outH: Int { pooling(batch: 1).outH }
  var outW: Int { pooling(batch: 1).outW }
  var pools: Bool { pool > 1 }

  var inputPerExample: Int { inChannels * inH * inW }
  var convPerExample: Int { channels * convH * convW }
  var statePerExample: Int { channels * outH * outW }
  /// Weight [channels, inChannels, kernel, kernel] and its fan-in (PyTorch's init bound).
  var weightShape: [Int64] { [channels, inChannels, kernel, kernel].map { Int64($0) } }
  var fanIn: Int { inChannels * kernel * kernel }

  func shape(batch: Int) -> ConvShape {
    ConvShape(
      batch: batch, inChannels: inChannels, inH: inH, inW: inW, outChannels: channels,
      kernel: (kernel, kernel), stride: (stride, stride), padding: (padding, padding))
  }

  func pooling(batch: Int) -> PoolShape {
    let conv = shape(batch: 1)
    return PoolShape(batch: batch, channels: channels, inH: conv.outH, inW: conv.outW, pool: pool)
  }
}

extension ConvLayer {
  /// The layers from the config's `conv` list (input side first), checked: each fits its
  /// input. Returned from the OUTPUT side: element k − 1 is C_k.
  static func read(
    _ options: OptionReader, input: (channels: Int, height: Int, width: Int)
  ) throws(PluginError) -> [ConvLayer] {
    let count = try options.count("conv")
    guard count >= 1 else {
      throw PluginError(.invalidArgument, "model.conv: give at least one convolution")
    }
    let known = ["channels", "kernel", "stride", "padding", "pool"]
    var layers: [ConvLayer] = []
    var (channels, height, width) = input
    for index in 0..<count {
      let key = "conv[\(index)]"
      func value(_ name: String, default fallback: Int64?, min: Int64) throws(PluginError) -> Int {
        guard let number = try options.optionalInt("\(key).\(name)") ?? fallback else {
          throw PluginError(
            .invalidArgument, "model.\(key).\(name): required (\(known.joined(separator: ", ")))")
        }
        guard number >= min, number <= 1 << 20 else {
          throw PluginError(
            .invalidArgument, "model.\(key).\(name): \(number) must lie in [\(min), 2^20]")
        }
        return Int(number)
      }
      let layer = ConvLayer(
        inChannels: channels, inH: height, inW: width,
        channels: try value("channels", default: nil, min: 1),
        kernel: try value("kernel", default: nil, min: 1),
        stride: try value("stride", default: 1, min: 1),
        padding: try value("padding", default: 0, min: 0),
        pool: try value("pool", default: 2, min: 1))
      var present = 0
      for name in known where try options.optionalInt("\(key).\(name)") != nil { present += 1 }
      guard try options.count(key) == present else {
        throw PluginError(
          .invalidArgument, "model.\(key): unknown key (known: \(known.joined(separator: ", ")))")
      }
      guard layer.convH >= 1, layer.convW >= 1 else {
        throw PluginError(
          .invalidArgument,
          "model.\(key): a \(layer.kernel)×\(layer.kernel) kernel with padding \(layer.padding) "
            + "does not fit its \(height)×\(width) input")
      }
      guard layer.outH >= 1, layer.outW >= 1 else {
        throw PluginError(
          .invalidArgument,
          "model.\(key): pool \(layer.pool) is larger than the \(layer.convH)×\(layer.convW) "
            + "conv map")
      }
      layers.append(layer)
      (channels, height, width) = (layer.channels, layer.outH, layer.outW)
    }
    return layers.reversed()
  }
}
