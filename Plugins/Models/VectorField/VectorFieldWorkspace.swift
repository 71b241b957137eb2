@preconcurrency import CEqprop
import EqpropPluginSDK

/// Scratch memory of one batch size, allocated once and reused by every call.
final class VectorFieldWorkspace: BatchWorkspace {
  let batch: Int
  /// Per layer: the bracket a_i, then δ_i during vjp.
  let pre = HostTensors()
  /// Per layer: ρ(s_i) (continuous form), then ρ'(s_i) during vjp; empty when discrete.
  let rho = HostTensors()
  /// Per layer: s_{t+1} − s_t, for the step rule (step_update, apply_step).
  let change = HostTensors()
  /// ρ(x) (continuous form), filled by `prepare`.
  let rhoInput = HostTensors()
  /// W_{N,x}u + b_N with u = x or ρ(x), for the current batch and θ (filled by `prepare`,
  /// kept by apply_step).
  let projection = HostTensors()
  /// Moves `projection` with W_{N,x} and b_N during apply_step.
  let inputTerm: InputTermUpdate
  /// B × sizes[0]: output minus target, for the cost.
  let residual = HostTensors()
  var prepared = false

  init(network: VectorFieldNetwork, batch: Int, err: OpaquePointer?) throws(PluginError) {
    self.batch = batch
    inputTerm = try InputTermUpdate(batch: batch, dtype: network.dtype, err: err)
    let rows = Int64(batch)
    let dtype = network.dtype
    let continuous = network.settings.form == .continuous
    for size in network.sizes {
      try pre.append(dtype: dtype, shape: [rows, Int64(size)], err: err)
      try change.append(dtype: dtype, shape: [rows, Int64(size)], err: err)
      if continuous { try rho.append(dtype: dtype, shape: [rows, Int64(size)], err: err) }
    }
    if continuous { try rhoInput.append(dtype: dtype, shape: [rows, Int64(network.inputSize)], err: err) }
    try projection.append(dtype: dtype, shape: [rows, Int64(network.sizes[network.top])], err: err)
    try residual.append(dtype: dtype, shape: [rows, Int64(network.sizes[0])], err: err)
  }
}
