extension SweepPlan {
  /// Starts the plugins of each setting's first run with θ and the optimizer, as `config
  /// check` does, without reading data: a learning-rate list of the wrong length for the
  /// model then stops the sweep before anything trains, instead of failing every run of it.
  /// Seeds change no shape, so one run per setting tells.
  public func checkPlugins() throws(PluginFailure) {
    for setting in settings {
      guard let run = runs.first(where: { $0.setting == setting.index }) else { continue }
      do {
        _ = try TrainingSession(config: run.config, trainingExamples: 0)
      } catch {
        throw PluginFailure("\(sweep.source): run \(run.name) (\(describe(run))): \(error.message)")
      }
    }
  }
}
