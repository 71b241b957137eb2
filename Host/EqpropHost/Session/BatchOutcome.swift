/// What the learner reported for one training minibatch (EQP_BatchResult).
public struct BatchOutcome: Sendable {
  /// Σ_b ℓ at the free phase's end.
  public var lossSum: Double
  /// Misclassified examples of the batch, before the update.
  public var errors: Int64
  /// Steps the free phase used (fewer than configured when it stopped on convergence).
  public var freeSteps: Int64
}
