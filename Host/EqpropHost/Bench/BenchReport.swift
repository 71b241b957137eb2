import Foundation

/// `eqprop bench`'s output: a table for people and JSON with every figure. Sections not run
/// are empty.
public struct BenchReport {
  public let machine: MachineDescription
  public var peak: Double?
  public var kernel: [(batch: Int, rows: [KernelBench.Row])] = []
  public var dynamics: [DynamicsBench.Row] = []
  public var memory: [MemoryBench.Row] = []
  public var training: [TrainingBench.Row] = []

  public init(machine: MachineDescription) { self.machine = machine }

  public var table: String {
    var lines = ["machine: \(machine.line)"]
    if let peak { lines.append("square sgemm peak (1024³): \(format(peak)) GFLOP/s") }
    if !kernel.isEmpty, let peak {
      lines += [
        "", "kernel GEMM, float32 (GFLOP/s; % of the raw call and of the peak)",
        pad("shape", 28) + pad("batch", 7) + pad("kernel", 9) + pad("raw", 9) + pad("kernel/raw", 12) + "kernel/peak",
      ]
      for (batch, rows) in kernel {
        for row in rows {
          lines.append(
            pad(row.shape.name, 28) + pad("\(batch)", 7) + pad(format(row.kernel), 9) + pad(format(row.raw), 9)
              + pad(percent(row.kernel / row.raw), 12) + percent(row.kernel / peak))
        }
      }
    }
    if !dynamics.isEmpty {
      lines += ["", "dynamics, float32, one step (the input term cached per batch)",
        pad("network", 12) + pad("batch", 7) + pad("steps/s", 10) + pad("GFLOP/s", 9) + "of peak"]
      for row in dynamics {
        lines.append(
          pad(row.network, 12) + pad("\(row.batch)", 7) + pad(format(row.stepsPerSecond), 10)
            + pad(format(row.gflops), 9) + (peak.map { percent(row.gflops / $0) } ?? "–"))
      }
    }
    if !memory.isEmpty {
      lines += ["", "learner memory beyond θ, P-1h, batch 20, float32 (bytes of state sets held)",
        pad("learner", 16) + pad("T", 7) + "bytes"]
      for row in memory {
        lines.append(pad(row.learner, 16) + pad("\(row.freeSteps)", 7) + "\(row.bytes)")
      }
    }
    if !training.isEmpty {
      lines += ["", "training, random minibatches, projected to 60 000 examples (median of the runs)",
        pad("config", 18) + pad("batch", 7) + pad("s/batch", 10) + pad("examples/s", 12) + pad("s/epoch", 10)
          + pad("runs: fastest–slowest", 24) + "peak RSS"]
      for row in training {
        let spread = row.spread.map { "\($0.runs): \(format($0.fastest))–\(format($0.slowest))" } ?? "1"
        lines.append(
          pad(row.config, 18) + pad("\(row.batchSize)", 7) + pad(String(format: "%.4f", row.secondsPerBatch), 10)
            + pad(format(row.examplesPerSecond), 12) + pad(format(row.secondsPerEpoch), 10) + pad(spread, 24)
            + String(format: "%.0f MB", Double(row.peakResidentBytes) / 1e6))
      }
    }
    return lines.joined(separator: "\n")
  }

  public var json: String {
    var object: [String: Any] = ["machine": machine.json]
    if let peak { object["square_sgemm_peak_gflops"] = peak }
    if !kernel.isEmpty {
      object["kernel_gemm"] = kernel.flatMap { batch, rows in
        rows.map { row -> [String: Any] in
          var entry: [String: Any] = [
            "shape": row.shape.name, "batch": batch, "m": row.shape.m, "n": row.shape.n, "k": row.shape.k,
            "trans_a": row.shape.transA, "trans_b": row.shape.transB, "kernel_gflops": row.kernel,
            "raw_gflops": row.raw, "kernel_over_raw": row.kernel / row.raw,
          ]
          if let peak { entry["kernel_over_peak"] = row.kernel / peak }
          return entry
        }
      }
    }
    if !dynamics.isEmpty {
      object["dynamics"] = dynamics.map { row -> [String: Any] in
        ["network": row.network, "batch": row.batch, "steps_per_second": row.stepsPerSecond, "gflops": row.gflops]
      }
    }
    if !training.isEmpty { object["training"] = training.map(\.json) }
    if !memory.isEmpty {
      object["memory"] = memory.map { row -> [String: Any] in
        ["learner": row.learner, "free_steps": row.freeSteps, "bytes": row.bytes]
      }
    }
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  private func format(_ value: Double) -> String { String(format: "%.1f", value) }
  private func percent(_ value: Double) -> String { String(format: "%.0f %%", 100 * value) }
  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
