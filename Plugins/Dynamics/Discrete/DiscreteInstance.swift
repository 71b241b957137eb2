@preconcurrency import CEqprop
import EqpropPluginSDK

/// One configured `discrete` dynamics: its options, the model's layer ranges, and the
/// buffer the next state is built in (allocated once per batch size, never in the loop).
final class DiscreteInstance {
  struct Layer {
    var shape: [Int64]
    var perExample: Int
    var clipRange: (lower: Double, upper: Double)?
  }

  let info: EQP_DynamicsInfo
  let dtype: UInt32
  let layers: [Layer]
  private let next = HostTensors()
  /// step_vjp's buffers: the cotangent through the clip mask, and ε times it.
  private let masked = HostTensors()
  private let scaled = HostTensors()
  private var batch: Int64 = 0

  init(_ args: EQP_DynamicsCreateArgs, err: OpaquePointer?) throws(PluginError) {
    guard let layout = args.layout?.pointee, let specs = layout.layers else {
      throw PluginError(.invalidArgument, "discrete.create: the model layout is missing")
    }
    let options = OptionReader(args.options, err: err)
    let epsilon = try options.double("epsilon")
    guard epsilon > 0 else {
      throw PluginError(.invalidArgument, "dynamics.epsilon is 0; it must be in (0, 1]")
    }
    let clip = try options.bool("clip")
    var info = EQP_DynamicsInfo()
    info.struct_size = Int(EQP_DynamicsInfo_STRUCT_SIZE)
    info.free_steps = try options.int("free_steps")
    info.epsilon = epsilon
    info.persistent = try options.bool("persistent") ? 1 : 0
    info.tolerance = try options.double("tolerance")
    self.info = info
    dtype = args.dtype
    var layers: [Layer] = []
    for index in 0..<layout.layer_count {
      guard let spec = specs[index]?.pointee else {
        throw PluginError(.invalidArgument, "discrete.create: layout.layers[\(index)] is NULL")
      }
      let shape = (0..<Int(spec.ndim)).map { spec.shape?[$0] ?? 0 }
      let range = clip && spec.clip == UInt32(EQP_CLIP_RANGE) ? (spec.lower, spec.upper) : nil
      layers.append(Layer(shape: shape, perExample: shape.reduce(1) { $0 * Int($1) }, clipRange: range))
    }
    self.layers = layers
  }

  /// Runs `args.steps` synchronous steps on the states in `args.eval`, in place.
  func run(_ args: EQP_RunArgs, err: OpaquePointer?) throws(PluginError) -> EQP_RunResult {
    guard let evalPointer = args.eval, let states = evalPointer.pointee.states,
      let model = PluginHost.model?.pointee, let drive = model.drive,
      let costGrad = model.cost_grad, let kernel = PluginHost.kernel?.pointee
    else { throw PluginError(.invalidArgument, "discrete.run: eval, states or host API missing") }
    let eval = evalPointer.pointee
    guard eval.layer_count == layers.count else {
      throw PluginError(
        .invalidArgument,
        "discrete.run: \(eval.layer_count) state tensors given, the model has \(layers.count)")
    }
    try ensureBuffers(batch: eval.batch, err: err)
    let epsilon = info.epsilon
    let stepBeta = -epsilon * args.beta
    let earlyStop = info.tolerance > 0 && args.flags & UInt32(EQP_RELAX_NO_EARLY_STOP) == 0
    var result = EQP_RunResult()
    result.struct_size = Int(EQP_RunResult_STRUCT_SIZE)
    var evalCopy = eval
    return try next.tensors.withUnsafeBufferPointer { buffers throws(PluginError) in
      let nextStates = UnsafeMutablePointer(mutating: buffers.baseAddress)
      for step in 0..<args.steps {
        try PluginError.check(drive(args.model, &evalCopy, nextStates, err), "model.drive")
        for (index, layer) in layers.enumerated() where epsilon != 1 {
          let count = Int64(eval.batch) * Int64(layer.perExample)
          try PluginError.check(
            kernel.axpby(dtype, count, 1 - epsilon, states[index].baseAddress, epsilon,
              buffers[index].baseAddress, err), "kernel.axpby")
        }
        if args.beta != 0 {
          try PluginError.check(
            costGrad(args.model, &evalCopy, stepBeta, nextStates, nil, err), "model.cost_grad")
        }
        var residual = 0.0
        for (index, layer) in layers.enumerated() {
          let count = Int64(eval.batch) * Int64(layer.perExample)
          if let range = layer.clipRange {
            try PluginError.check(
              kernel.clip(dtype, count, range.lower, range.upper, buffers[index].baseAddress, err),
              "kernel.clip")
          }
          if earlyStop || step == args.steps - 1 {
            var difference = 0.0
            try PluginError.check(
              kernel.max_abs_diff(dtype, count, buffers[index].baseAddress,
                states[index].baseAddress, &difference, err), "kernel.max_abs_diff")
            residual = max(residual, difference.isNaN ? .infinity : difference)
          }
        }
        if let onStep = args.on_step {
          try PluginError.check(
            onStep(args.user_data, step, states, buffers.baseAddress, layers.count, err),
            "on_step callback")
        }
        for (index, layer) in layers.enumerated() {
          let count = Int64(eval.batch) * Int64(layer.perExample)
          try PluginError.check(
            kernel.convert(dtype, dtype, count, buffers[index].baseAddress,
              states[index].baseAddress, err), "kernel.convert")
        }
        result.steps_used = step + 1
        result.residual = residual
        if earlyStop && residual < info.tolerance {
          result.converged = 1
          break
        }
      }
      return result
    }
  }

  /// Backward through one step at β = 0: with g = mask(s_{t+1}) ⊙ ḡ (a unit that ended on
  /// its clip bound passes nothing), cot_before = (1 − ε)g + (∂F/∂s)ᵀ(εg) and
  /// cot_params += (∂F/∂θ)ᵀ(εg).
  func stepVjp(_ args: EQP_StepVjpArgs, err: OpaquePointer?) throws(PluginError) {
    guard args.beta == 0 else {
      throw PluginError(
        .unsupported,
        "discrete.step_vjp: β = \(args.beta); only β = 0 steps are differentiated (BPTT and RBP "
          + "differentiate the free phase; the cost's Hessian is not in the ABI)")
    }
    guard let evalPointer = args.eval, let after = args.after, let cotAfter = args.cot_after,
      let cotBefore = args.cot_before, let vjp = PluginHost.model?.pointee.vjp
    else { throw PluginError(.invalidArgument, "discrete.step_vjp: eval, after or a cotangent is NULL") }
    let eval = evalPointer.pointee
    guard eval.layer_count == layers.count else {
      throw PluginError(
        .invalidArgument,
        "discrete.step_vjp: \(eval.layer_count) state tensors given, the model has \(layers.count)")
    }
    try ensureBuffers(batch: eval.batch, err: err)
    let kernel = try KernelCalls(dtype: dtype, err: err)
    let epsilon = info.epsilon
    for (index, layer) in layers.enumerated() {
      let count = Int(eval.batch) * layer.perExample
      let g = masked.tensors[index].baseAddress
      if let range = layer.clipRange {
        try PluginError.check(
          PluginHost.kernel?.pointee.interior_mask(
            dtype, Int64(count), range.lower, range.upper, after[index].baseAddress, g, err)
            ?? Status.abiMismatch.rawValue, "kernel.interior_mask")
        try kernel.mul(count: count, x: g, y: cotAfter[index].baseAddress, z: g)
      } else {
        try kernel.copy(count: count, from: cotAfter[index].baseAddress, to: g)
      }
      try kernel.axpby(count: count, alpha: epsilon, x: g, beta: 0, y: scaled.tensors[index].baseAddress)
    }
    try scaled.tensors.withUnsafeBufferPointer { buffer throws(PluginError) in
      try PluginError.check(
        vjp(args.model, evalPointer, buffer.baseAddress, cotBefore, args.cot_params, err), "model.vjp")
    }
    for (index, layer) in layers.enumerated() where epsilon != 1 {
      try kernel.axpby(
        count: Int(eval.batch) * layer.perExample, alpha: 1 - epsilon,
        x: masked.tensors[index].baseAddress, beta: 1, y: cotBefore[index].baseAddress)
    }
  }

  private func ensureBuffers(batch: Int64, err: OpaquePointer?) throws(PluginError) {
    guard batch != self.batch || next.tensors.isEmpty else { return }
    for buffers in [next, masked, scaled] {
      buffers.removeAll()
      for layer in layers { try buffers.append(dtype: dtype, shape: [batch] + layer.shape, err: err) }
    }
    self.batch = batch
  }
}
