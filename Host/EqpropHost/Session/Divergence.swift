/// The first NaN or Inf the host found in the states a relaxation left or in θ after a change:
/// the plugin whose call produced it, what the call was, where training stood and the tensor.
/// Training stops there, before anything of the diverged state is saved.
struct Divergence: Sendable, Equatable, CustomStringConvertible {
  /// The plugin at fault, as "dynamics 'discrete'", "learner 'ep'" or "model 'dense'".
  var culprit: String
  /// The call that left the values, as a phrase: "at the end of the free phase (relaxation 1
  /// of the batch, 5 steps)", "with update 3 of the batch (session.apply_update)".
  var event: String
  /// The layer or θ tensor: "layer s1", "θ tensor W01".
  var tensor: String
  /// How many of its values are NaN or Inf.
  var count: Int64
  /// Where training stood; nil outside a run's batches and evaluations.
  var stage: TrainingStage?

  var description: String {
    let place = stage.map { " at \($0)" } ?? ""
    let values = count == 1 ? "1 non-finite value" : "\(count) non-finite values"
    return "the run diverged\(place): \(culprit) left \(values) (NaN or Inf) in \(tensor) \(event)"
  }
}
