@preconcurrency import CEqprop
import EqpropPluginSDK

/// Scratch memory of one batch size, allocated once and reused by every call.
final class ConvWorkspace: BatchWorkspace {
  let batch: Int
  /// [0]: B × classes, the output's pre-activation (δ_0 during vjp, Φ's fc term);
  /// [1]: B × classes, output minus target for the cost.
  let output = HostTensors()
  /// Per conv layer k (index k − 1), B × |s_k|: pre-activations (δ_k during vjp), pooled
  /// conv maps for Φ.
  let pre = HostTensors()
  /// Per conv layer, B × |C_k map|: the conv map before pooling (a scratch map in vjp).
  let conv = HostTensors()
  /// Per conv layer, B × |C_k map|: an unpooled state or δ, P⁻¹(·).
  let unpooled = HostTensors()
  /// Per conv layer, B × |s_k|: a pooled-at-indices cotangent (vjp).
  let gathered = HostTensors()
  /// Per conv layer, int64 B × |s_k|: the argmax indices of the last pooling of C_k; for the
  /// input layer C_L those of P(C_L(x)), cached by `prepare`.
  let indices = HostTensors()
  /// [0]: B × |s_L|, P(C_L(x)) for the current batch and θ (filled by `prepare`).
  let inputTerm = HostTensors()
  /// Whether `prepare` ran since the workspace was made.
  var prepared = false

  init(network: ConvNetwork, batch: Int, err: OpaquePointer?) throws(PluginError) {
    self.batch = batch
    let rows = Int64(batch)
    let dtype = network.dtype
    for _ in 0..<2 {
      try output.append(dtype: dtype, shape: [rows, Int64(network.classes)], err: err)
    }
    for layer in network.layers {
      let state = [rows, Int64(layer.statePerExample)]
      let map = [rows, Int64(layer.convPerExample)]
      try pre.append(dtype: dtype, shape: state, err: err)
      try gathered.append(dtype: dtype, shape: state, err: err)
      try conv.append(dtype: dtype, shape: map, err: err)
      try unpooled.append(dtype: dtype, shape: map, err: err)
      try indices.append(dtype: UInt32(EQP_DTYPE_I64), shape: state, err: err)
    }
    let last = network.layers[network.depth - 1]
    try inputTerm.append(dtype: dtype, shape: [rows, Int64(last.statePerExample)], err: err)
  }

  /// The int64 indices of conv layer k.
  func indices(_ k: Int) -> UnsafeMutablePointer<Int64>? {
    indices.tensors[k - 1].baseAddress?.assumingMemoryBound(to: Int64.self)
  }

  func pre(_ k: Int) -> UnsafeMutableRawPointer? { pre.tensors[k - 1].baseAddress }
  func conv(_ k: Int) -> UnsafeMutableRawPointer? { conv.tensors[k - 1].baseAddress }
  func unpooled(_ k: Int) -> UnsafeMutableRawPointer? { unpooled.tensors[k - 1].baseAddress }
  func gathered(_ k: Int) -> UnsafeMutableRawPointer? { gathered.tensors[k - 1].baseAddress }
  var outputPre: UnsafeMutableRawPointer? { output.tensors[0].baseAddress }
  var residual: UnsafeMutableRawPointer? { output.tensors[1].baseAddress }
  var inputPooled: UnsafeMutableRawPointer? { inputTerm.tensors[0].baseAddress }
}
