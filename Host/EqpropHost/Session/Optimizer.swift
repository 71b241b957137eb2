/// Plain SGD with optional momentum, one learning rate per parameter group (spec §3: the
/// papers use no momentum, no weight decay, no schedule).
///
/// θ ← θ − η_g·v with v ← μ·v + g (v = g when μ = 0).
final class Optimizer {
  let rates: [Double]
  let momentum: Double
  private let groups: [Int]
  /// v per parameter tensor with momentum (saved in checkpoints); nil without.
  let velocity: TensorSet?

  /// `groups[k]` is the learning-rate group of parameter tensor k.
  init(rates: [Double], momentum: Double, groups: [Int], shapes: [[Int64]], dtype: UInt32)
    throws(PluginFailure)
  {
    let needed = (groups.max() ?? -1) + 1
    guard rates.count == needed else {
      throw PluginFailure(
        "optimizer.lr: \(rates.count) learning rates given, the model has \(needed) parameter "
          + "groups (output → input)")
    }
    self.rates = rates
    self.momentum = momentum
    self.groups = groups
    velocity = momentum > 0 ? try TensorSet(dtype: dtype, shapes: shapes) : nil
  }

  /// Whether a step depends on its gradient alone (no velocity to update), so a model may
  /// apply it to θ itself (`TrainingSession.applyStep`).
  var keepsNoState: Bool { velocity == nil }

  /// η_group·scale of parameter tensor `index`: θ_index moves by −rate·g.
  func rate(_ index: Int, scale: Double) -> Double { rates[groups[index]] * scale }

  /// Applies `scale`·g to θ through the kernel's axpby.
  func apply(_ gradient: TensorSet, to parameters: TensorSet, scale: Double, kernel: KernelAccess)
    throws(PluginFailure)
  {
    for index in 0..<parameters.count {
      let rate = rate(index, scale: scale)
      let count = parameters.elementCount(index)
      var step = gradient.data(index)
      if let velocity {
        try kernel.axpby(count, 1, gradient.data(index), momentum, velocity.data(index))
        step = velocity.data(index)
      }
      try kernel.axpby(count, -rate, step, 1, parameters.data(index))
    }
  }
}
