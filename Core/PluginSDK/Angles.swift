#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Angles between parameter vectors, the papers' diagnostic (P4 Fig. 4–5).
public enum Angles {
  /// arccos(⟨a, b⟩ / (‖a‖‖b‖)) in degrees from the three inner products; NaN when either
  /// vector is zero.
  public static func degrees(dot: Double, normSquaredA: Double, normSquaredB: Double) -> Double {
    let cosine = dot / (normSquaredA * normSquaredB).squareRoot()
    guard cosine.isFinite else { return .nan }
    return acos(max(-1, min(1, cosine))) * 180 / Double.pi
  }

  /// cos of an angle given in degrees.
  public static func cosine(degrees: Double) -> Double { cos(degrees * Double.pi / 180) }
}
