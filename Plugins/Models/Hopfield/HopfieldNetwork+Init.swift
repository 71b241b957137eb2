@preconcurrency import CEqprop
import EqpropPluginSDK

extension HopfieldNetwork {
  /// Draws θ from the host's rng: PyTorch's Linear default U(±1/√fan_in) for weights and
  /// biases (as `dense`), or Glorot's U(±√(6/(n_in + n_out))) for weights with zero biases
  /// (Scellier & Bengio 2017).
  func initParams(
    _ params: UnsafeMutablePointer<EQP_Tensor>, count: Int, rng: OpaquePointer?,
    err: OpaquePointer?
  ) throws(PluginError) {
    guard count == parameterCount else {
      throw PluginError(
        .invalidArgument,
        "hopfield.init_params: \(count) tensors given, expected \(parameterCount)")
    }
    guard let fill = PluginHost.rng?.pointee.fill_uniform else {
      throw PluginError(.abiMismatch, "hopfield.init_params: the host offers no rng")
    }
    let kernel = try KernelCalls(dtype: dtype, err: err)
    var pairs = (0..<layerCount).map { layer in
      (weight: weightIndex(layer), bias: biasIndex(layer), fanIn: inputWidth(of: layer),
       fanOut: sizes[layer], name: "b\(layer)")
    }
    if settings.inputToOutput {
      pairs.append(
        (weight: skipWeightIndex, bias: skipBiasIndex, fanIn: inputSize, fanOut: sizes[0],
         name: "b0x"))
    }
    for pair in pairs {
      let fanIn = Double(pair.fanIn)
      let weight = params + pair.weight
      let bias = params + pair.bias
      switch settings.initialisation {
      case .pytorch:
        let bound = 1 / fanIn.squareRoot()
        try PluginError.check(fill(rng, weight, -bound, bound, err), "rng.fill_uniform")
        try PluginError.check(fill(rng, bias, -bound, bound, err), "rng.fill_uniform")
      case .glorot:
        let bound = (6 / (fanIn + Double(pair.fanOut))).squareRoot()
        try PluginError.check(fill(rng, weight, -bound, bound, err), "rng.fill_uniform")
        // The host hands θ zeroed; zero the biases anyway so the rule does not rest on it.
        guard bias.pointee.dtype == dtype, bias.pointee.strides == nil else {
          throw PluginError(
            .invalidArgument,
            "hopfield.init_params: \(pair.name) is not a contiguous \(dtype) tensor")
        }
        try kernel.fill(count: bias.pointee.elementCount, value: 0, x: bias.pointee.baseAddress)
      }
    }
  }
}
