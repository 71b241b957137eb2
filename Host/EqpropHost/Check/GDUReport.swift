import Foundation

/// Tables and JSON for `eqprop check`.
public enum GDUReport {
  /// One line per layer and matrix: mean ± std of the relative error.
  public static func table(_ result: GDUResult) -> String {
    let against = result.mode == "gdu" ? "BPTT" : "RBP"
    var lines = [
      "EP vs \(against): β = \(format(result.beta)), K = \(result.nudgedSteps), T = \(result.freeSteps), "
        + "free-phase residual ‖s_T − s_{T−1}‖∞ = \(format(result.freeResidual))",
      "  what        RelMSE mean      std",
    ]
    for entry in result.neurons + result.weights {
      lines.append(
        "  " + entry.name.padding(toLength: 10, withPad: " ", startingAt: 0) + "  "
          + format(entry.relativeError).padding(toLength: 15, withPad: " ", startingAt: 0)
          + format(entry.relativeErrorStd))
    }
    lines.append("  angle between Σ_t≥1 updates: \(format(result.angleDegrees))°")
    lines.append(
      "  sign agreement (K steps): \(format(result.signAgreement * 100))% same sign, "
        + "\(format(result.bothZero * 100))% both zero")
    return lines.joined(separator: "\n")
  }

  /// A sweep: the worst and per-entry relative error for each β, and the ratio per decade.
  public static func sweepTable(_ results: [GDUResult]) -> String {
    var lines = ["  β           worst RelMSE    ratio to the previous β"]
    for (index, result) in results.enumerated() {
      let ratio = index == 0 ? "" : format(results[index - 1].worst / max(result.worst, 1e-300)) + "×"
      lines.append(
        "  " + format(result.beta).padding(toLength: 12, withPad: " ", startingAt: 0)
          + format(result.worst).padding(toLength: 16, withPad: " ", startingAt: 0) + ratio)
    }
    return lines.joined(separator: "\n")
  }

  /// Every figure, series included.
  public static func json(_ results: [GDUResult]) -> String {
    func entries(_ list: [GDUResult.Entry]) -> [[String: Any]] {
      list.map { entry in
        [
          "name": entry.name, "rel_mse": finite(entry.relativeError), "rel_mse_std": finite(entry.relativeErrorStd),
          "samples": entry.samples.map { ["element": $0.element, "reference": $0.reference.map(finite), "ep": $0.ep.map(finite)] },
        ]
      }
    }
    let objects: [[String: Any]] = results.map { result in
      [
        "mode": result.mode, "beta": result.beta, "nudged_steps": result.nudgedSteps,
        "free_steps": result.freeSteps, "free_residual": finite(result.freeResidual),
        "neurons": entries(result.neurons), "weights": entries(result.weights),
        "angle_degrees": finite(result.angleDegrees), "sign_agreement": result.signAgreement,
        "both_zero": result.bothZero, "worst_rel_mse": finite(result.worst),
      ]
    }
    let data = try? JSONSerialization.data(withJSONObject: ["checks": objects], options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data ?? Data("{}".utf8), as: UTF8.self)
  }

  /// JSON has no NaN or infinity: those are written as strings ("nan", "inf").
  private static func finite(_ value: Double) -> Any { value.isFinite ? value : "\(value)" }

  public static func format(_ value: Double) -> String {
    if value == 0 || !value.isFinite { return "\(value)" }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e4 { return String(format: "%.4g", value) }
    return String(format: "%.3e", value)
  }
}
