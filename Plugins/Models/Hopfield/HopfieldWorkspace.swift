@preconcurrency import CEqprop
import EqpropPluginSDK

/// Scratch memory of one batch size, allocated once and reused by every call: ρ of the
/// states, their slopes, backward signals, the cached input term and the cost residual.
final class HopfieldWorkspace: BatchWorkspace {
  let batch: Int
  /// Per layer: ρ(s_i), refreshed by every call that reads the states.
  let rho = HostTensors()
  /// Per layer: ρ'(s_i).
  let slope = HostTensors()
  /// Per layer: δ_i = g_i ⊙ ρ'(s_i) (or g_i on a reference output row) during vjp.
  let delta = HostTensors()
  /// Per layer: the bracket a_i, Φ's terms, and the vjp's self term.
  let scratch = HostTensors()
  /// ρ(x) when the input goes through ρ (filled by `prepare`); empty otherwise.
  let rhoInput = HostTensors()
  /// W_{N,x}ρ(x) + b_N for the current batch and θ (filled by `prepare`).
  let inputTerm = HostTensors()
  /// W_0xρ(x) + b_0x for the current batch and θ (filled by `prepare`); empty without
  /// `input_to_output`.
  let outputInputTerm = HostTensors()
  /// B × sizes[0]: output minus target, for the cost.
  let residual = HostTensors()
  /// Whether `prepare` ran since the workspace was made.
  var prepared = false

  init(network: HopfieldNetwork, batch: Int, err: OpaquePointer?) throws(PluginError) {
    self.batch = batch
    let rows = Int64(batch)
    let dtype = network.dtype
    for size in network.sizes {
      for buffers in [rho, slope, delta, scratch] {
        try buffers.append(dtype: dtype, shape: [rows, Int64(size)], err: err)
      }
    }
    if network.settings.inputThroughRho {
      try rhoInput.append(dtype: dtype, shape: [rows, Int64(network.inputSize)], err: err)
    }
    try inputTerm.append(dtype: dtype, shape: [rows, Int64(network.sizes[network.top])], err: err)
    if network.settings.inputToOutput {
      try outputInputTerm.append(dtype: dtype, shape: [rows, Int64(network.sizes[0])], err: err)
    }
    try residual.append(dtype: dtype, shape: [rows, Int64(network.sizes[0])], err: err)
  }
}
