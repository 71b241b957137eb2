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
    guard count == 2 * layerCount else {
      throw PluginError(
        .invalidArgument,
        "hopfield.init_params: \(count) tensors given, expected \(2 * layerCount)")
    }
    guard let fill = PluginHost.rng?.pointee.fill_uniform else {
      throw PluginError(.abiMismatch, "hopfield.init_params: the host offers no rng")
    }
    let kernel = try KernelCalls(dtype: dtype, err: err)
    for layer in 0..<layerCount {
      let fanIn = Double(inputWidth(of: layer))
      let weight = params + weightIndex(layer)
      let bias = params + biasIndex(layer)
      switch settings.initialisation {
      case .pytorch:
        let bound = 1 / fanIn.squareRoot()
        try PluginError.check(fill(rng, weight, -bound, bound, err), "rng.fill_uniform")
        try PluginError.check(fill(rng, bias, -bound, bound, err), "rng.fill_uniform")
      case .glorot:
        let bound = (6 / (fanIn + Double(sizes[layer]))).squareRoot()
        try PluginError.check(fill(rng, weight, -bound, bound, err), "rng.fill_uniform")
        // The host hands θ zeroed; zero the biases anyway so the rule does not rest on it.
        guard bias.pointee.dtype == dtype, bias.pointee.strides == nil else {
          throw PluginError(
            .invalidArgument, "hopfield.init_params: b\(layer) is not a contiguous \(dtype) tensor")
        }
        try kernel.fill(count: bias.pointee.elementCount, value: 0, x: bias.pointee.baseAddress)
      }
    }
  }
}
