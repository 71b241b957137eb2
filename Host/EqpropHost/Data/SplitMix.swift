/// SplitMix64's finaliser: a bijection of 64-bit values that spreads nearby inputs far apart.
/// Seeded derivations (an epoch's order, an example's augmentation) chain it over their inputs,
/// so what they draw is a pure function of those inputs. Changing it changes every seeded run.
enum SplitMix {
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
