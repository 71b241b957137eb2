@preconcurrency import CEqprop

/// An activation function of the kernel, with its derivative.
///
/// The raw values are the C constants `EQP_ACT_*`.
public enum Activation: Int32, CaseIterable, Sendable {
  /// a. The corresponding C constant is `EQP_ACT_IDENTITY`.
  case identity = 1
  /// 1 / (1 + exp(-4(a - 1/2))), derivative 4 s (1 - s). C constant `EQP_ACT_SIGM`.
  case sigm = 2
  /// clamp(a, 0, 1), derivative 1 on the closed interval [0, 1]. C constant `EQP_ACT_HARDSIGM`.
  case hardsigm = 3
  /// The logistic function 1 / (1 + exp(-a)). C constant `EQP_ACT_SIGMOID`.
  case sigmoid = 4
  /// tanh(a). C constant `EQP_ACT_TANH`.
  case tanh = 5
}
