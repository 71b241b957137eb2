@preconcurrency import CEqprop

extension ModelEvalView {
  /// change[l] = after[l] − s[l] for each tensor of `change` (one per state layer, shaped like
  /// it): the post-synaptic change of one step s_t → s_{t+1}, which the step rules multiply
  /// by pre-synaptic activity. The caller has checked `after` like the states.
  public func stateChange(to after: UnsafePointer<EQP_Tensor>, into change: HostTensors, _ kernel: KernelCalls)
    throws(PluginError)
  {
    for (layer, tensor) in change.tensors.enumerated() {
      let count = tensor.elementCount
      try kernel.copy(count: count, from: after[layer].baseAddress, to: tensor.baseAddress)
      try kernel.axpby(count: count, alpha: -1, x: state(layer), beta: 1, y: tensor.baseAddress)
    }
  }
}
