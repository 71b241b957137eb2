/// Where training stands when the host checks states and θ, for the sentence that stops a
/// diverged run. Numbers count from 1, as the progress lines do.
enum TrainingStage: Sendable, Equatable, CustomStringConvertible {
  /// Training batch `batch` of epoch `epoch`, or the hooks after it.
  case training(epoch: Int, batch: Int)
  /// Test batch `batch` of the evaluation that ends epoch `epoch`.
  case evaluation(epoch: Int, batch: Int)

  var description: String {
    switch self {
    case .training(let epoch, let batch): "epoch \(epoch), batch \(batch)"
    case .evaluation(let epoch, let batch): "epoch \(epoch)'s evaluation, test batch \(batch)"
    }
  }
}
