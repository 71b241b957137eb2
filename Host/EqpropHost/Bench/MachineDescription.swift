import COpenBLAS
import Foundation

/// What a benchmark ran on, printed beside every figure: numbers from shared machines drift.
public struct MachineDescription: Sendable {
  public let cpu: String
  public let cores: Int
  public let blas: String
  public let blasThreads: Int
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
      blasThreads: Int(openblas_get_num_threads()),
      load: loadText.split(separator: " ").first.flatMap { Double($0) } ?? .nan)
  }

  public var line: String {
    "\(cpu), \(cores) cores, \(blas), \(blasThreads) BLAS threads, load \(String(format: "%.2f", load))"
  }

  public var json: [String: Any] {
    ["cpu": cpu, "cores": cores, "blas": blas, "blas_threads": blasThreads, "load_average": load]
  }
}
