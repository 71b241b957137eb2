import COpenBLAS
import EqpropKernel
import Foundation

/// What a benchmark ran on, printed beside every figure: numbers from shared machines drift.
public struct MachineDescription: Sendable {
  public let cpu: String
  public let cores: Int
  public let blas: String
  /// Threads of the kernel's pool (EQPROP_THREADS); OpenBLAS runs inside it on one each.
  public let threads: Int
  /// The 1-minute load average when the run started: above 0.5 per core, other work shared it.
  public let load: Double

  public static func current() -> MachineDescription {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
      .flatMap { $0.split(separator: ":", maxSplits: 1).last }
      .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
    let loadText = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    let config = openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
    let core = openblas_get_corename().map { String(cString: $0) } ?? "?"
    return MachineDescription(
      cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount, blas: "\(config) (\(core))",
      threads: WorkerPool.threads,
      load: loadText.split(separator: " ").first.flatMap { Double($0) } ?? .nan)
  }

  public var line: String {
    "\(cpu), \(cores) cores, \(blas), \(threads) kernel threads, load \(String(format: "%.2f", load))"
  }

  public var json: [String: Any] {
    ["cpu": cpu, "cores": cores, "blas": blas, "threads": threads, "load_average": load]
  }
}
