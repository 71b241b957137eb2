@preconcurrency import CEqprop

/// Steps per second of the discrete dynamics on the papers' networks, float32, with the
/// GFLOP/s of the GEMMs and convolutions a step must do (the input term is cached per batch).
public struct DynamicsBench {
  public struct Network: Sendable {
    public let name: String
    /// The model section of a config.
    let model: String
    /// Floating-point operations of one step for one example.
    let flopsPerExample: Double
    /// Learning-rate groups of the model.
    let groups: Int
  }

  public struct Row: Sendable {
    public let network: String
    public let batch: Int
    public let stepsPerSecond: Double
    public let gflops: Double
  }

  public let repeats: Int
  public let minimum: Double
  /// Steps per timed relaxation: a phase's fixed costs (the NaN check at its end) spread as
  /// in a real phase of tens of steps.
  static let stepsPerCall = 20

  public init(repeats: Int = 5, minimum: Double = 0.05) {
    self.repeats = repeats
    self.minimum = minimum
  }

  /// Dense 1h/2h/3h (784-512…-10) and P-conv. A dense step does s_l·W_{l,l+1}ᵀ and the
  /// feedback s_{l−1}·W_{l−1,l} for every coupling, 4·Σ n_l n_{l+1} flops an example; P-conv
  /// does C_1(s_2) and its transpose at full density (2 · 2·64·8·8·32·25) plus the fc both ways.
  public static let networks: [Network] = [
    dense("dense 1h", [10, 512, 784]), dense("dense 2h", [10, 512, 512, 784]),
    dense("dense 3h", [10, 512, 512, 512, 784]),
    Network(
      name: "P-conv", model: "{id: conv, activation: hardsigm}",
      flopsPerExample: 2 * 2 * 64 * 8 * 8 * 32 * 25 + 4 * 10 * 1024, groups: 3),
  ]

  static func dense(_ name: String, _ layers: [Int]) -> Network {
    let couplings = zip(layers.dropLast(), layers.dropFirst()).dropLast()
    let flops = 4 * couplings.reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    return Network(
      name: name, model: "{id: dense, layers: \(layers)}", flopsPerExample: flops, groups: layers.count - 1)
  }

  public func run(_ networks: [Network], batches: [Int], catalog: PluginCatalog) throws(PluginFailure) -> [Row] {
    var rows: [Row] = []
    for network in networks {
      for batch in batches {
        let session = try BenchSession.make(
          """
          model: \(network.model)
          dynamics: {id: discrete, free_steps: 1}
          learner: {id: ep, nudged_steps: 1, beta: 0.5}
          optimizer: {lr: \(Array(repeating: 0.1, count: network.groups))}
          """, batch: batch, catalog: catalog)
        let ops = SessionOps(session: session)
        let states = try ops.states()
        var failure: PluginFailure?
        let seconds = Stopwatch.medians(repeats: repeats, minimum: minimum, [
          {
            do throws(PluginFailure) {
              try ops.relax(
                states, beta: 0, steps: Int64(Self.stepsPerCall), start: Int32(EQP_START_CURRENT), noEarlyStop: true)
            } catch {
              failure = error
            }
          }
        ])[0]
        if let failure { throw failure }
        let perStep = seconds / Double(Self.stepsPerCall)
        rows.append(
          Row(
            network: network.name, batch: batch, stepsPerSecond: 1 / perStep,
            gflops: network.flopsPerExample * Double(batch) / perStep / 1e9))
      }
    }
    return rows
  }
}
