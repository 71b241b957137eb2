/// The memory a learner holds beyond θ as the free phase grows: EP keeps a few state sets
/// whatever T is; BPTT keeps its window of states (the whole phase when the window is 0).
public struct MemoryBench {
  public struct Row: Sendable {
    public let learner: String
    public let freeSteps: Int
    /// Bytes of the tensor sets the learner holds after one batch.
    public let bytes: Int
  }

  public init() {}

  /// P-1h at batch 20 in float32, one batch per learner and T.
  public func run(freeSteps: [Int], catalog: PluginCatalog) throws(PluginFailure) -> [Row] {
    let learners = [
      ("ep", "{id: ep, nudged_steps: 10, beta: 0.1}"), ("bptt window 11", "{id: bptt, window: 11}"),
      ("bptt full", "{id: bptt, window: 0}"),
    ]
    var rows: [Row] = []
    for (name, learner) in learners {
      for steps in freeSteps {
        let session = try BenchSession.make(
          """
          model: {id: dense, layers: [10, 512, 784]}
          dynamics: {id: discrete, free_steps: \(steps)}
          learner: \(learner)
          optimizer: {lr: [0, 0]}
          """, batch: 20, catalog: catalog)
        _ = try session.trainBatch(epoch: 0, index: 0)
        rows.append(Row(learner: name, freeSteps: steps, bytes: session.pluginSetBytes))
      }
    }
    return rows
  }
}
