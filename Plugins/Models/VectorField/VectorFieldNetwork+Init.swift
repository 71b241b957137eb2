@preconcurrency import CEqprop
import EqpropPluginSDK

extension VectorFieldNetwork {
  /// PyTorch's Linear default U(±1/√fan_in) for W and b; then B_{i+1,i} = W_{i,i+1}ᵀ with each
  /// entry's sign flipped with probability ½(1 − cos Ψ₀), so that E[cos Ψ] = cos Ψ₀ (spec §2.3).
  func initParams(_ params: UnsafeMutablePointer<EQP_Tensor>, count: Int, rng: OpaquePointer?, err: OpaquePointer?)
    throws(PluginError)
  {
    guard count == parameterCount else {
      throw PluginError(.invalidArgument, "vf.init_params: \(count) tensors given, expected \(parameterCount)")
    }
    guard let generator = PluginHost.rng?.pointee, let fill = generator.fill_uniform, let uniform = generator.uniform
    else {
      throw PluginError(.abiMismatch, "vf.init_params: the host offers no rng")
    }
    for layer in 0..<layerCount {
      let bound = 1 / Double(inputWidth(of: layer)).squareRoot()
      for index in [weightIndex(layer), biasIndex(layer)] {
        try PluginError.check(fill(rng, params + index, -bound, bound, err), "rng.fill_uniform")
      }
    }
    guard !settings.tied else { return }
    let flip = (1 - Angles.cosine(degrees: settings.initialAngle)) / 2
    for layer in 0..<top {
      let weight = params[weightIndex(layer)]
      let feedback = params[feedbackIndex(layer)]
      guard let w = weight.baseAddress, let b = feedback.baseAddress, weight.strides == nil, feedback.strides == nil,
        weight.dtype == dtype, feedback.dtype == dtype
      else {
        throw PluginError(.invalidArgument, "vf.init_params: W\(layer)\(layer + 1) or its B is not a contiguous tensor")
      }
      let rows = sizes[layer]
      let columns = sizes[layer + 1]
      // B[c, r] = ±W[r, c].
      func transpose<T: BinaryFloatingPoint>(_: T.Type) {
        let source = w.assumingMemoryBound(to: T.self)
        let target = b.assumingMemoryBound(to: T.self)
        for r in 0..<rows {
          for c in 0..<columns {
            let sign: T = uniform(rng) < flip ? -1 : 1
            target[c * rows + r] = sign * source[r * columns + c]
          }
        }
      }
      if dtype == UInt32(EQP_DTYPE_F64) { transpose(Double.self) } else { transpose(Float.self) }
    }
  }

  /// Ψ between W_{i,i+1} and B_{i+1,i}ᵀ in degrees: arccos(⟨W, Bᵀ⟩_F / (‖W‖_F‖B‖_F)).
  func angle(pair layer: Int, _ params: UnsafeMutableBufferPointer<EQP_Tensor>, _ kernel: KernelCalls)
    throws(PluginError) -> Double
  {
    guard layer >= 0, layer < top else {
      throw PluginError(.invalidArgument, "vf.psi: layer pair \(layer) is not in 0..<\(top) (pair i is W_{i,i+1}, B_{i+1,i})")
    }
    guard !settings.tied else { return 0 }
    guard params.count == parameterCount else {
      throw PluginError(.invalidArgument, "vf.psi: θ has \(params.count) tensors, expected \(parameterCount)")
    }
    let weight = params[weightIndex(layer)]
    let feedback = params[feedbackIndex(layer)]
    let rows = sizes[layer]
    let columns = sizes[layer + 1]
    guard let wData = weight.baseAddress, let bData = feedback.baseAddress, weight.dtype == dtype,
      feedback.dtype == dtype, weight.elementCount == rows * columns, feedback.elementCount == rows * columns
    else {
      throw PluginError(.invalidArgument, "vf.psi: W\(layer)\(layer + 1) or B\(layer + 1)\(layer) does not match the layout")
    }
    func inner<T: BinaryFloatingPoint>(_: T.Type) -> Double {
      let w = wData.assumingMemoryBound(to: T.self)
      let b = bData.assumingMemoryBound(to: T.self)
      var sum = 0.0
      for r in 0..<rows {
        for c in 0..<columns { sum += Double(w[r * columns + c]) * Double(b[c * rows + r]) }
      }
      return sum
    }
    let dot = dtype == UInt32(EQP_DTYPE_F64) ? inner(Double.self) : inner(Float.self)
    let count = rows * columns
    return Angles.degrees(
      dot: dot, normSquaredA: try kernel.dot(count: count, x: weight.baseAddress, y: weight.baseAddress),
      normSquaredB: try kernel.dot(count: count, x: feedback.baseAddress, y: feedback.baseAddress))
  }
}
