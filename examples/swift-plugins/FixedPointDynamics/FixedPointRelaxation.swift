@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured relaxation: its options, the model's layers, and the buffers s_{t+1} is built
/// in (made once per batch size, never inside the step loop).
final class FixedPointRelaxation {
  /// A state layer: elements per example and the clip range the model declares.
  struct Layer {
    var perExample: Int
    var clip: (lower: Double, upper: Double)?
  }

  let info: EQP_DynamicsInfo
  let dtype: UInt32
  let layers: [Layer]
  private let next = HostTensors()
  private var batch = 0

  init(_ args: EQP_DynamicsCreateArgs, err: OpaquePointer?) throws(PluginError) {
    guard let layout = args.layout?.pointee else {
      throw PluginError(.invalidArgument, "example-fixed-point.create: the model layout is NULL")
    }
    // The host has checked each option against its description and filled in the defaults.
    let options = OptionReader(args.options, err: err)
    var info = EQP_DynamicsInfo()
    info.struct_size = Int(EQP_DynamicsInfo_STRUCT_SIZE)
    info.free_steps = try options.int("free_steps")
    info.epsilon = try options.double("epsilon")
    info.tolerance = try options.double("tolerance")
    guard info.epsilon > 0 else {
      throw PluginError(.invalidArgument, "dynamics.epsilon: must be in (0, 1]")
    }
    self.info = info
    dtype = args.dtype
    layers = (0..<layout.layer_count).map { index in
      let spec = layout.layers?[index]?.pointee ?? EQP_LayerSpec()
      let perExample = (0..<Int(spec.ndim)).reduce(1) { $0 * Int(spec.shape?[$1] ?? 0) }
      return Layer(
        perExample: perExample,
        clip: spec.clip == UInt32(EQP_CLIP_RANGE) ? (spec.lower, spec.upper) : nil)
    }
  }

  /// `args.steps` synchronous steps on the eval's states, in place. The model is reached
  /// through the host's forwarders (host->model), never through its vtable.
  func run(_ args: EQP_RunArgs, err: OpaquePointer?) throws(PluginError) -> EQP_RunResult {
    guard let eval = args.eval, let states = eval.pointee.states,
      eval.pointee.layer_count == layers.count,
      let model = PluginHost.model?.pointee
    else {
      throw PluginError(
        .invalidArgument, "example-fixed-point.run: the eval needs \(layers.count) state layers")
    }
    try makeBuffers(batch: Int(eval.pointee.batch), err: err)
    let kernel = try KernelCalls(dtype: dtype, err: err)
    let epsilon = info.epsilon
    let earlyStop = info.tolerance > 0 && args.flags & UInt32(EQP_RELAX_NO_EARLY_STOP) == 0
    var result = EQP_RunResult()
    result.struct_size = Int(EQP_RunResult_STRUCT_SIZE)
    try next.tensors.withUnsafeBufferPointer { buffers throws(PluginError) in
      let views = UnsafeMutablePointer(mutating: buffers.baseAddress)
      for step in 0..<args.steps {
        // next = F(s), mixed with s by ε, plus the nudge −εβ·∂ℓ/∂s (cost_grad accumulates).
        try PluginError.check(model.drive(args.model, eval, views, err), "model.drive")
        for (index, layer) in layers.enumerated() where epsilon != 1 {
          try kernel.axpby(
            count: batch * layer.perExample, alpha: 1 - epsilon, x: states[index].baseAddress,
            beta: epsilon, y: buffers[index].baseAddress)
        }
        if args.beta != 0 {
          try PluginError.check(
            model.cost_grad(args.model, eval, -epsilon * args.beta, views, nil, err),
            "model.cost_grad")
        }
        // Clip to the model's ranges; ‖next − s‖∞ when it is needed (early stop, the last step).
        result.residual = 0
        for (index, layer) in layers.enumerated() {
          let count = batch * layer.perExample
          if let clip = layer.clip {
            try kernel.clip(
              count: count, low: clip.lower, high: clip.upper, x: buffers[index].baseAddress)
          }
          if earlyStop || step == args.steps - 1 {
            let change = try kernel.maxAbsDiff(
              count: count, x: buffers[index].baseAddress, y: states[index].baseAddress)
            // NaN never counts as converged.
            result.residual = max(result.residual, change.isNaN ? .infinity : change)
          }
        }
        if let onStep = args.on_step {  // C-EP's updates, BPTT's tape, the checks' series
          try PluginError.check(
            onStep(args.user_data, step, states, buffers.baseAddress, layers.count, err), "on_step")
        }
        for (index, layer) in layers.enumerated() {  // s ← next, all layers at once
          try kernel.copy(
            count: batch * layer.perExample, from: buffers[index].baseAddress,
            to: states[index].baseAddress)
        }
        result.steps_used = step + 1
        if earlyStop && result.residual < info.tolerance {
          result.converged = 1
          break
        }
      }
    }
    return result
  }

  private func makeBuffers(batch: Int, err: OpaquePointer?) throws(PluginError) {
    guard batch != self.batch else { return }
    next.removeAll()
    for layer in layers {
      try next.append(dtype: dtype, shape: [Int64(batch), Int64(layer.perExample)], err: err)
    }
    self.batch = batch
  }
}
