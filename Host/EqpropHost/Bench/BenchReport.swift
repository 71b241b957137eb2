import Foundation

/// `eqprop bench`'s output: a table for people and JSON with every figure.
public struct BenchReport {
  public let machine: MachineDescription
  public let peak: Double
  public let kernel: [(batch: Int, rows: [KernelBench.Row])]

  public init(machine: MachineDescription, peak: Double, kernel: [(batch: Int, rows: [KernelBench.Row])]) {
    self.machine = machine
    self.peak = peak
    self.kernel = kernel
  }

  public var table: String {
    var lines = [
      "machine: \(machine.line)",
      "square sgemm peak (1024³): \(format(peak)) GFLOP/s",
      "",
      "kernel GEMM, float32 (GFLOP/s; % of the raw call and of the peak)",
      pad("shape", 28) + pad("batch", 7) + pad("kernel", 9) + pad("raw", 9) + pad("kernel/raw", 12) + "kernel/peak",
    ]
    for (batch, rows) in kernel {
      for row in rows {
        lines.append(
          pad(row.shape.name, 28) + pad("\(batch)", 7) + pad(format(row.kernel), 9) + pad(format(row.raw), 9)
            + pad(percent(row.kernel / row.raw), 12) + percent(row.kernel / peak))
      }
    }
    return lines.joined(separator: "\n")
  }

  public var json: String {
    let object: [String: Any] = [
      "machine": machine.json,
      "square_sgemm_peak_gflops": peak,
      "kernel_gemm": kernel.flatMap { batch, rows in
        rows.map { row -> [String: Any] in
          [
            "shape": row.shape.name, "batch": batch, "m": row.shape.m, "n": row.shape.n, "k": row.shape.k,
            "trans_a": row.shape.transA, "trans_b": row.shape.transB, "kernel_gflops": row.kernel,
            "raw_gflops": row.raw, "kernel_over_raw": row.kernel / row.raw, "kernel_over_peak": row.kernel / peak,
          ]
        }
      },
    ]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  private func format(_ value: Double) -> String { String(format: "%.1f", value) }
  private func percent(_ value: Double) -> String { String(format: "%.0f %%", 100 * value) }
  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
