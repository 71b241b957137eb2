@preconcurrency import CEqprop
import EqpropPluginSDK

/// The `vf` model: the vector-field network of Ernoult et al. 2020 (spec §2.3), with separate
/// forward W and feedback B matrices; trained by `cep` it is C-VF.
enum VectorFieldModel {
  static let options: [OptionDescription] = [
    OptionDescription(
      "layers", .intList, default: nil,
      doc: "sizes from the output to the input, at least one hidden layer, e.g. [10, 512, 784]", min: 1),
    OptionDescription(
      "activation", .string, default: "sigm",
      doc: "σ (discrete) or ρ (continuous): sigm, hardsigm, sigmoid, tanh or identity"),
    OptionDescription(
      "form", .string, default: "discrete",
      doc: "discrete: s ← σ(W s_below + b + B s_above), raw x (VFdisc, dt = 1); continuous: "
        + "F = Wρ(s_below) + b + Bρ(s_above), ρ(x), for ε < 1 (VFcont)"),
    OptionDescription(
      "tied", .bool, default: "false", doc: "keep B = Wᵀ: the prototypical network, trained by EP's rule"),
    OptionDescription(
      "angle", .float, default: "0",
      doc: "Ψ₀ in degrees: B = Wᵀ with each sign flipped with probability ½(1 − cos Ψ₀)", min: 0, max: 180),
    OptionDescription(
      "clamp", .bool, default: "true", doc: "continuous form: clip every layer to [0, 1] (false: --no-clamp)"),
  ]

  static let capabilities = UInt64(
    EQP_MODEL_CAP_VJP | EQP_MODEL_CAP_F64 | EQP_MODEL_CAP_STEP_UPDATE | EQP_MODEL_CAP_APPLY_STEP)

  /// `psi`, for `eqprop call` and hooks: Ψ of layer pair i (W_{i,i+1}, B_{i+1,i}) in θ.
  static let psiFunction: @convention(c) (OpaquePointer?, OpaquePointer?, Int32, OpaquePointer?) -> Double = {
    model, parameters, pair, err in
    do throws(PluginError) {
      guard let network = ModelGlue.network(model) as? VectorFieldNetwork, let parameters,
        let setTensors = PluginHost.session?.pointee.set_tensors
      else {
        throw PluginError(.invalidArgument, "vf.psi: needs the vf instance and θ")
      }
      var count = 0
      let tensors = UnsafeMutableBufferPointer(start: setTensors(parameters, &count), count: count)
      return try network.angle(pair: Int(pair), tensors, try KernelCalls(dtype: network.dtype, err: err))
    } catch {
      _ = fail(err, error.status, error.message)
      return .nan
    }
  }

  static var description: PluginDescription {
    PluginDescription(
      kind: .model, id: "vf", displayName: "Vector-field network", version: "1.0.0", capabilities: capabilities,
      vtable: ModelGlue.vtable(capabilities: capabilities) { args, err throws(PluginError) in
        try VectorFieldNetwork(args, err: err)
      },
      description:
        "Layered network with forward W and feedback B (Ernoult et al. 2020): "
        + "s_i ← σ(W_{i,i+1}s_{i+1} + b_i + B_{i,i−1}s_{i−1}) or its continuous form; its step "
        + "rule is post-synaptic change × pre-synaptic activity (C-VF with the cep learner).",
      options: options,
      functions: [
        FunctionDescription(
          "psi", signature: "d(pPie)", function: unsafeBitCast(psiFunction, to: UnsafeRawPointer.self),
          doc: "angle Ψ (degrees) between W_{i,i+1} and B_{i+1,i}ᵀ for layer pair i")
      ])
  }
}
