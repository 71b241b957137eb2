@preconcurrency import Glibc
import Foundation

/// How `eqprop train` shows its progress on stderr.
public enum DisplayStyle: Sendable {
  /// A bar redrawn in place (`\r`) at most ten times a second, and a line per epoch.
  case bar
  /// A line per logging window and a line per epoch: for logs and pipes.
  case lines
  /// Nothing (`--quiet`); errors and the final summary still print.
  case quiet

  /// `bar` when stderr is a terminal, `lines` otherwise.
  public static var automatic: DisplayStyle { isatty(STDERR_FILENO) == 1 ? .bar : .lines }
}

/// Training's progress on stderr in one `DisplayStyle`.
final class TrainingDisplay {
  private let style: DisplayStyle
  private let epochs: Int
  private let clock = ContinuousClock()
  private var lastDraw: ContinuousClock.Instant?
  private var barShown = false

  /// Redraws closer together than this are skipped: the eye cannot follow them, and each
  /// one is a write to the terminal.
  private static let redrawInterval = Duration.milliseconds(100)

  init(style: DisplayStyle, epochs: Int) {
    self.style = style
    self.epochs = epochs
  }

  /// After each batch: redraws the bar when it is due.
  func batchEnded(_ progress: TrainingProgress, batchesPerEpoch: Int) {
    guard style == .bar else { return }
    let now = clock.now
    if let lastDraw, now - lastDraw < Self.redrawInterval, progress.batchesDone < batchesPerEpoch {
      return
    }
    lastDraw = now
    let tally = progress.epoch
    let perBatch = tally.batches > 0 ? tally.seconds / Double(tally.batches) : nil
    let batchesLeft = Double(
      (epochs - progress.epochsDone) * batchesPerEpoch - progress.batchesDone)
    let bar = ProgressBar(
      epoch: progress.epochsDone + 1, epochs: epochs, batch: progress.batchesDone,
      batchesPerEpoch: batchesPerEpoch, tally: tally, secondsLeft: perBatch.map { $0 * batchesLeft }
    )
    emit("\r\u{1B}[2K" + bar.text)
    barShown = true
  }

  /// A closed logging window: a line, unless a bar shows progress already.
  func windowEnded(_ window: WindowReport) {
    guard style == .lines else { return }
    emit(
      "  epoch \(window.epoch) batch \(window.batch)/\(window.batchesPerEpoch)  train_error "
        + "\(ProgressBar.digits(window.tally.errorRate * 100, 2))%  train_loss "
        + "\(ProgressBar.digits(window.tally.meanLoss, 5))  examples/s \(Int(window.tally.examplesPerSecond.rounded()))\n"
    )
  }

  /// An epoch's line.
  func epochEnded(_ report: EpochReport) {
    guard style != .quiet else { return }
    clearBar()
    emit(report.line + "\n")
  }

  /// Takes the bar off the terminal before other output.
  func clearBar() {
    if barShown { emit("\r\u{1B}[2K") }
    barShown = false
  }

  private func emit(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
