/// How a data-parallel run combines the updates a continual learner (C-EP, C-VF) applies at
/// every step of its second phase (config `parallel.continual_reduce`).
public enum ContinualReduce: String, Sendable, CaseIterable {
  /// Exact: every step's update is summed over ranks before it is applied, so θ moves as in
  /// one process. Costs an allreduce of θ's size per step.
  case step
  /// Accumulate-then-reduce, an approximation: each rank applies its own shard's step
  /// updates during the batch (its phase sees only them), and at the batch's end θ (and the
  /// optimizer's velocities) become the ranks' average, weighted by shard size: θ before the
  /// batch plus the weighted sum of what each rank accumulated. One allreduce per batch; the result differs
  /// from one process's by terms of order η² per batch.
  case batch
}
