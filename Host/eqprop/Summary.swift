import EqpropHost
import Foundation

/// The JSON object `train --json` prints last.
enum Summary {
  static func json(_ reports: [EpochReport], folder: String) -> String {
    let seconds = reports.map(\.seconds).reduce(0, +)
    let examples = reports.map { $0.examplesPerSecond * $0.seconds }.reduce(0, +)
    let object: [String: Any] = [
      "test_error": json(reports.last?.testError ?? 1),
      "train_error": json(reports.last?.trainError ?? 1),
      "epochs": reports.count, "seconds": json(seconds),
      "examples_per_second": json(seconds > 0 ? examples / seconds : 0), "run_folder": folder,
      "per_epoch": reports.map {
        [
          "epoch": $0.epoch, "test_error": json($0.testError), "train_error": json($0.trainError),
          "train_loss": json($0.trainLoss), "test_loss": json($0.testLoss),
          "seconds": json($0.seconds),
          "metrics": $0.metrics.mapValues(json),
        ] as [String: Any]
      },
    ]
    // Finite numbers, strings, nulls and arrays of them always serialise.
    let data = try? JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data ?? Data("{}".utf8), as: UTF8.self)
  }

  /// `value`, or null where JSON has no number for it (NaN, ±∞).
  private static func json(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
}
