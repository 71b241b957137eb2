/// The config's hooks bound to a session: the Trainer calls them after batches and epochs,
/// and each result is logged as a metric of the epoch (averaged like plugins' own metrics).
final class HookRunner {
  private let session: TrainingSession
  private let hooks: [(config: HookConfig, call: ExtensionCall)]

  /// Prepares every hook's call; refuses a hook that could never run or whose tensor
  /// argument names no θ tensor, naming the hook's path.
  init(session: TrainingSession, batchesPerEpoch: Int) throws(PluginFailure) {
    self.session = session
    var hooks: [(HookConfig, ExtensionCall)] = []
    for hook in session.config.hooks {
      if case .batches(let count) = hook.schedule, count > batchesPerEpoch {
        throw PluginFailure(
          "\(hook.path).every_batches: \(count) is more than the \(batchesPerEpoch) batches of an "
            + "epoch (training.batch_size \(session.config.batchSize)); the hook would never run")
      }
      do {
        let call = try ExtensionCall(
          plugin: hook.plugin, function: hook.function, arguments: hook.arguments, session: session)
        hooks.append((hook, call))
      } catch {
        throw PluginFailure("\(hook.path): \(error.message)")
      }
    }
    self.hooks = hooks
  }

  /// After batch `index` (0-based) of an epoch: the hooks due every N batches.
  func afterBatch(_ index: Int) throws(PluginFailure) {
    for hook in hooks {
      if case .batches(let count) = hook.config.schedule, (index + 1) % count == 0 {
        try run(hook, when: "when it ran after the batch")
      }
    }
  }

  /// After an epoch's training pass: the hooks due every epoch.
  func afterEpoch() throws(PluginFailure) {
    for hook in hooks where hook.config.schedule == .epoch {
      try run(hook, when: "when it ran after the epoch's training pass")
    }
  }

  /// Runs `hook`; when it was given θ or a θ tensor, which it may have written, checks θ.
  private func run(_ hook: (config: HookConfig, call: ExtensionCall), when: String)
    throws(PluginFailure)
  {
    let result: ExtensionResult
    do {
      result = try hook.call.invoke()
    } catch {
      throw PluginFailure("\(hook.config.path): \(error.message)")
    }
    let function = hook.call.function
    if function.signature.arguments.contains(where: { $0 == .params || $0 == .tensor }) {
      try session.checkParameters(
        culprit: "\(hook.config.path) (\(TrainingSession.name(hook.call.plugin)) function "
          + "'\(function.name)')",
        event: when)
    }
    // A `v` function is a side effect only: there is nothing to log.
    if let value = result.number { session.logMetric(hook.config.metricName, value) }
  }
}
