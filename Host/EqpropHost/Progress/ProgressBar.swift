/// The one-line progress bar a terminal shows while an epoch trains:
///
///     epoch 2/30 [#######-------------] 1200/3000  loss 0.1234  error 4.56%  1534 ex/s  ETA 12:05
struct ProgressBar {
  static let width = 20

  var epoch: Int
  var epochs: Int
  var batch: Int
  var batchesPerEpoch: Int
  /// The epoch so far.
  var tally: BatchTally
  /// Seconds left at the current pace (training passes only), nil before any batch.
  var secondsLeft: Double?

  var text: String {
    let filled = batchesPerEpoch > 0 ? min(Self.width, Self.width * batch / batchesPerEpoch) : 0
    let bar =
      String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
    return
      "epoch \(epoch)/\(epochs) [\(bar)] \(batch)/\(batchesPerEpoch)  loss \(Self.digits(tally.meanLoss, 4))  "
      + "error \(Self.digits(tally.errorRate * 100, 2))%  \(Int(tally.examplesPerSecond.rounded())) ex/s  "
      + "ETA \(secondsLeft.map(Self.clock) ?? "?")"
  }

  /// `value` rounded to `count` decimals.
  static func digits(_ value: Double, _ count: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    let scale = (0..<count).reduce(1.0) { result, _ in result * 10 }
    let whole = (abs(value) * scale).rounded()
    let integer = Int(whole / scale)
    let fraction = String(Int(whole.truncatingRemainder(dividingBy: scale)))
    return (value < 0 && whole > 0 ? "-" : "") + "\(integer)."
      + String(repeating: "0", count: max(0, count - fraction.count)) + fraction
  }

  /// h:mm:ss, or m:ss under an hour.
  static func clock(_ seconds: Double) -> String {
    let total = Int(seconds.isFinite ? max(0, seconds.rounded()) : 0)
    let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
    let tail = (rest < 10 ? "0" : "") + "\(rest)"
    if hours > 0 { return "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes):" + tail }
    return "\(minutes):" + tail
  }
}
