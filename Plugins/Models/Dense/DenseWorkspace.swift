@preconcurrency import CEqprop
import EqpropPluginSDK

/// Scratch memory of one batch size: the cached input projection and per-layer buffers for
/// pre-activations and backward signals. Allocated once, reused by every step.
final class DenseWorkspace {
  let batch: Int
  /// W_{N,x}·x + b_N for the current batch and θ (filled by `prepare`).
  let projection = HostTensors()
  /// Per layer: pre-activations, then σ'(pre) ⊙ cotangent during vjp.
  let pre = HostTensors()
  /// B × classes: output minus target (or the readout's logits), for the cost.
  let residual = HostTensors()
  /// Per layer: W_{i,i+1}·s_{i+1} for Φ.
  let phiTerms = HostTensors()
  /// Whether `prepare` ran since the workspace was made.
  var prepared = false

  init(network: DenseNetwork, batch: Int, err: OpaquePointer?) throws(PluginError) {
    self.batch = batch
    let rows = Int64(batch)
    try projection.append(dtype: network.dtype, shape: [rows, Int64(network.sizes[network.hiddenCount])], err: err)
    for size in network.sizes {
      try pre.append(dtype: network.dtype, shape: [rows, Int64(size)], err: err)
      try phiTerms.append(dtype: network.dtype, shape: [rows, Int64(size)], err: err)
    }
    // The output's residual, or the readout's logits.
    try residual.append(dtype: network.dtype, shape: [rows, Int64(network.classCount)], err: err)
  }
}
