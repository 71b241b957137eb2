@preconcurrency import Glibc

/// A seeded pseudo-random stream (xoshiro256**, seeded through SplitMix64), so a run with the
/// same seed replays exactly. Behind `EQP_Rng *`.
///
/// Written by hand: none of the packages available here ships a seedable generator with a
/// documented, stable sequence (SystemRandomNumberGenerator is not seedable).
public final class RandomStream {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var mixer = seed
    func splitMix() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// The four words of xoshiro256**'s state: with `restore`, a checkpoint resumes the stream
  /// exactly where it stood.
  public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

  /// Continues from `words`, `stateWords` saved earlier; false (nothing changed) unless there
  /// are four words, not all zero (xoshiro's one forbidden state).
  public func restore(_ words: [UInt64]) -> Bool {
    guard words.count == 4, words.contains(where: { $0 != 0 }) else { return false }
    state = (words[0], words[1], words[2], words[3])
    return true
  }

  /// The next 64 random bits.
  public func nextUInt64() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  /// Uniform in [0, 1) with 53 random bits.
  public func uniform() -> Double { Double(nextUInt64() >> 11) * 0x1.0p-53 }

  /// Standard normal (Box–Muller; the second value is discarded to keep the stream simple).
  public func normal() -> Double {
    let u1 = 1 - uniform()  // (0, 1]: log never sees 0
    let u2 = uniform()
    return (-2 * Glibc.log(u1)).squareRoot() * Glibc.cos(2 * Double.pi * u2)
  }

  /// A uniform integer in 0..<bound (bound > 0), without modulo bias (Lemire).
  public func below(_ bound: UInt64) -> UInt64 {
    var product = nextUInt64().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = nextUInt64().multipliedFullWidth(by: bound) }
    }
    return product.high
  }

  /// The opaque pointer plugins receive; valid while this stream is alive.
  var pointer: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

  static func from(_ pointer: OpaquePointer) -> RandomStream {
    Unmanaged<RandomStream>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
