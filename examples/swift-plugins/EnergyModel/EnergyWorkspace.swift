@preconcurrency import CEqprop
import EqpropPluginSDK

/// Scratch memory of one batch size, from the host allocator (freed with the workspace).
final class EnergyWorkspace: BatchWorkspace {
  let batch: Int
  /// [batch, hidden]: x·W1xᵀ + b1, cached by prepare.
  private let cached = HostTensors()
  /// [batch, max(classes, hidden)]: the temporaries of phi and cost.
  private let temporaries = HostTensors()

  init(network: EnergyNetwork, batch: Int, err: OpaquePointer?) throws(PluginError) {
    self.batch = batch
    let rows = Int64(batch)
    try cached.append(dtype: network.dtype, shape: [rows, Int64(network.hidden)], err: err)
    try temporaries.append(
      dtype: network.dtype, shape: [rows, Int64(max(network.classes, network.hidden))], err: err)
  }

  var inputTerm: UnsafeMutableRawPointer? { cached.tensors[0].baseAddress }
  var scratch: UnsafeMutableRawPointer? { temporaries.tensors[0].baseAddress }
}

/// The model's view of an `EQP_ModelEval`, checked by the SDK against the layout.
typealias EnergyEval = ModelEvalView<EnergyWorkspace>
