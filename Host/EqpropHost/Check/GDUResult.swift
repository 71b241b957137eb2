/// What one gradient-matching check measured (spec §4).
public struct GDUResult: Sendable {
  /// One layer (neurons, instantaneous series) or one weight matrix (cumulative series).
  public struct Entry: Sendable {
    public var name: String
    public var relativeError: Double
    public var relativeErrorStd: Double
    /// A few elements' per-step series, for plots: instantaneous values, reference (BPTT or
    /// RBP, solid) and EP (dashed).
    public var samples: [(element: Int, reference: [Double], ep: [Double])]
  }

  public var mode: String  // "gdu" (EP vs BPTT) or "rbp" (EP vs RBP)
  public var beta: Double
  public var nudgedSteps: Int
  public var freeSteps: Int64
  public var freeResidual: Double
  public var neurons: [Entry]
  public var weights: [Entry]
  /// Angle between the total EP update and the reference gradient over all weight matrices,
  /// steps t ≥ 1 (spec §4 item 10), in degrees.
  public var angleDegrees: Double
  /// Fraction of synapses where the K-step reference gradient and the EP update share a sign,
  /// both non-zero; and where both are exactly zero (item 9, one minibatch).
  public var signAgreement: Double
  public var bothZero: Double

  /// The largest mean relative error over layers and matrices.
  public var worst: Double { (neurons + weights).map(\.relativeError).max() ?? 0 }
}
