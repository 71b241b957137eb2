/// The host's own version, recorded in every run.json and printed by `eqprop --version`.
/// Raised by hand when a release changes what a run folder holds or how training behaves.
public enum EqpropVersion {
  public static let current = "0.7.0"
}
