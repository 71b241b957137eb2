import Foundation

/// A run folder with a made-up `metrics.jsonl` in the format `eqprop train` writes: epoch lines
/// and batches lines, with update sizes per tensor and other metrics.
struct MetricsFixture {
  /// The run folder (a fresh temporary one).
  let folder: String

  /// Makes a temporary run folder holding no metrics yet.
  init() throws {
    folder = FileManager.default.temporaryDirectory.path + "/run-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  var metricsPath: String { folder + "/metrics.jsonl" }

  /// Writes `lines` as the metrics file, each followed by a newline.
  func write(_ lines: [String]) throws {
    try lines.map { $0 + "\n" }.joined().write(
      toFile: metricsPath, atomically: true, encoding: .utf8)
  }

  /// `epochs` epochs of `windows` batches lines each, then the epoch line; every line carries an
  /// `update/` metric per tensor (falling by 10× per epoch) and the `extra` metrics.
  static func lines(epochs: Int, windows: Int, tensors: [String], extra: [String]) -> [String] {
    var lines: [String] = []
    for epoch in 1...epochs {
      for window in stride(from: 1, through: windows, by: 1) {
        let progress = Double(epoch - 1) + Double(window) / Double(windows)
        lines.append(
          json([
            "kind": "batches", "epoch": epoch, "batch": window * 100, "batches": 100,
            "progress": progress, "train_error": 0.2 / progress, "train_loss": 1 / progress,
            "examples_per_second": 5000, "metrics": metrics(progress, tensors, extra),
          ]))
      }
      let progress = Double(epoch)
      lines.append(
        json([
          "kind": "epoch", "epoch": epoch, "progress": progress, "train_error": 0.1 / progress,
          "test_error": 0.12 / progress, "train_loss": 0.5 / progress, "test_loss": 0.6 / progress,
          "seconds": 3.5, "examples_per_second": 5000, "metrics": metrics(progress, tensors, extra),
        ]))
    }
    return lines
  }

  /// One line of JSON.
  static func json(_ object: [String: Any]) -> String {
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  private static func metrics(_ progress: Double, _ tensors: [String], _ extra: [String])
    -> [String: Double]
  {
    var metrics: [String: Double] = [:]
    for (index, tensor) in tensors.enumerated() {
      metrics["update/" + tensor] = pow(10, -2 - Double(index) - progress)
    }
    for name in extra { metrics[name] = 30 - progress }
    return metrics
  }
}
