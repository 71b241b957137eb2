@preconcurrency import CEqprop
import EqpropPluginSDK

/// Scratch memory of one batch size: the cached input projection, what keeps it in step with
/// a fused update, and per-layer buffers for pre-activations, backward signals and state
/// changes. Allocated once, reused by every step.
final class DenseWorkspace {
  let batch: Int
  /// W_{N,x}·x + b_N for the current batch and θ (filled by `prepare`, kept by apply_step).
  let projection = HostTensors()
  /// Moves `projection` with W_{N,x} and b_N during apply_step.
  let inputTerm: InputTermUpdate
  /// Per layer: s_{t+1} − s_t, for apply_step.
  let change = HostTensors()
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
    inputTerm = try InputTermUpdate(batch: batch, dtype: network.dtype, err: err)
    let rows = Int64(batch)
    try projection.append(dtype: network.dtype, shape: [rows, Int64(network.sizes[network.hiddenCount])], err: err)
    for size in network.sizes {
      try pre.append(dtype: network.dtype, shape: [rows, Int64(size)], err: err)
      try phiTerms.append(dtype: network.dtype, shape: [rows, Int64(size)], err: err)
      try change.append(dtype: network.dtype, shape: [rows, Int64(size)], err: err)
    }
    // The output's residual, or the readout's logits.
    try residual.append(dtype: network.dtype, shape: [rows, Int64(network.classCount)], err: err)
  }
}
