/// A float32 session from config text with one random minibatch loaded: what the dynamics
/// and memory benchmarks time and weigh, with no data set needed.
enum BenchSession {
  static func make(_ yaml: String, batch: Int, catalog: PluginCatalog) throws(PluginFailure) -> TrainingSession {
    let config: RunConfig
    do {
      config = try RunConfig.resolve(ConfigParser.parse(text: yaml, source: "bench"), source: "bench", catalog: catalog)
    } catch {
      throw PluginFailure("bench: \(error)")
    }
    let session = try TrainingSession(config: config, trainingExamples: batch)
    try RandomBatch.begin(session, batch: batch, seed: 1)
    return session
  }
}
