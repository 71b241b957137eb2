@preconcurrency import CEqprop

/// What the host passes for an extension function's `p`, `P` and `t` letters.
extension TrainingSession {
  /// The session's model, dynamics and learner plugins.
  public var plugins: [PluginRecord] { [model.plugin, dynamics.plugin, learner.plugin] }

  /// The instance of `plugin` when it is this session's model, dynamics or learner.
  func instance(of plugin: PluginRecord) -> OpaquePointer? {
    if plugin === model.plugin { return model.instance }
    if plugin === dynamics.plugin { return dynamics.instance }
    if plugin === learner.plugin { return learner.instance }
    return nil
  }

  /// The view of the θ tensor called `name`; valid as long as the session.
  func parameterView(named name: String) -> UnsafePointer<EQP_Tensor>? {
    guard let index = model.parameters.firstIndex(where: { $0.name == name }) else { return nil }
    return UnsafePointer(parameters.views + index)
  }
}
