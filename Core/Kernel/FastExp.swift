// Vector exp and tanh after Cephes (expf.c, exp.c, tanhf.c, tanh.c; S. L. Moshier, public
// domain). exp reduces x = n·ln2 + r with |r| ≤ ln2/2, approximates e^r, and scales by 2^n.
// Everything is plain lane arithmetic, comparisons and integer bit tricks, so it vectorises on
// baseline x86-64 (SSE2, no roundps): n is found by the 1.5·2^p "magic number" rounding, not by
// converting to an integer type.
//
// 2^n is applied as 2^(n/2) · 2^(n - n/2): both halves are normal numbers, the first product is
// exact, and the second rounds once, so results that overflow become +inf and results in the
// subnormal range are correctly scaled instead of flushed. Inputs are clamped just outside the
// range where the result is finite and nonzero; NaN fails every comparison, so it passes the
// clamps and comes out as NaN.

extension Float {
  /// e^x for 8 lanes; within 2 ulp of the correctly rounded value (tested against Foundation).
  @inline(__always)
  static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    typealias Bits = SIMD8<Int32>
    // exp(89) > Float.greatestFiniteMagnitude, exp(-104) < half the least subnormal.
    var x = x.replacing(with: 89, where: x .> 89)
    x = x.replacing(with: -104, where: x .< -104)
    let magic = SIMD8<Float>(repeating: 0x1.8p23)
    let shifted = x * 1.44269504088896341 + magic  // rounds x·log2(e) to an integer
    let nf = shifted - magic
    let n = unsafeBitCast(shifted, to: Bits.self) &- unsafeBitCast(magic, to: Bits.self)
    // r = x − n·ln2 with ln2 split in two (the first part has few bits, so n·C1 is exact).
    var r = x - nf * 0.693359375
    r = r - nf * -2.12194440e-4
    let r2 = r * r
    var p = r * 1.9875691500e-4 + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    p = p * r2 + r + 1
    let half = n &>> 1
    let scale1 = unsafeBitCast((half &+ 127) &<< 23, to: SIMD8<Float>.self)
    let scale2 = unsafeBitCast((n &- half &+ 127) &<< 23, to: SIMD8<Float>.self)
    return p * scale1 * scale2
  }

  /// tanh for 8 lanes: an odd polynomial below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above.
  @inline(__always)
  static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    typealias Bits = SIMD8<Int32>
    let magnitude = unsafeBitCast(
      unsafeBitCast(x, to: Bits.self) & Int32(0x7fff_ffff), to: SIMD8<Float>.self)
    let e = exp(magnitude + magnitude)
    var large = 1 - 2 / (e + 1)
    large = large.replacing(with: -large, where: x .< 0)
    let s = x * x
    var p = s * -5.70498872745e-3 + 2.06390887954e-2
    p = p * s - 5.37397155531e-2
    p = p * s + 1.33314422036e-1
    p = p * s - 3.33332819422e-1
    let small = p * s * x + x
    return large.replacing(with: small, where: magnitude .< 0.625)
  }
}

extension Double {
  /// e^x for 4 lanes; within 2 ulp of the correctly rounded value (tested against Foundation).
  @inline(__always)
  static func exp(_ x: SIMD4<Double>) -> SIMD4<Double> {
    typealias Bits = SIMD4<Int64>
    // exp(710) > Double.greatestFiniteMagnitude, exp(-746) < half the least subnormal.
    var x = x.replacing(with: 710, where: x .> 710)
    x = x.replacing(with: -746, where: x .< -746)
    let magic = SIMD4<Double>(repeating: 0x1.8p52)
    let shifted = x * 1.4426950408889634073599 + magic
    let nf = shifted - magic
    let n = unsafeBitCast(shifted, to: Bits.self) &- unsafeBitCast(magic, to: Bits.self)
    var r = x - nf * 6.93145751953125e-1
    r = r - nf * 1.42860682030941723212e-6
    // Padé form: e^r = 1 + 2 r P(r²) / (Q(r²) − r P(r²)).
    let r2 = r * r
    var p = r2 * 1.26177193074810590878e-4 + 3.02994407707441961300e-2
    p = (p * r2 + 9.99999999999999999910e-1) * r
    var q = r2 * 3.00198505138664455042e-6 + 2.52448340349684104192e-3
    q = q * r2 + 2.27265548208155028766e-1
    q = q * r2 + 2.00000000000000000009e0
    let y = 1 + 2 * (p / (q - p))
    let half = n &>> 1
    let scale1 = unsafeBitCast((half &+ 1023) &<< 52, to: SIMD4<Double>.self)
    let scale2 = unsafeBitCast((n &- half &+ 1023) &<< 52, to: SIMD4<Double>.self)
    return y * scale1 * scale2
  }

  /// tanh for 4 lanes: a rational function below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above.
  @inline(__always)
  static func tanh(_ x: SIMD4<Double>) -> SIMD4<Double> {
    typealias Bits = SIMD4<Int64>
    let magnitude = unsafeBitCast(
      unsafeBitCast(x, to: Bits.self) & Int64(0x7fff_ffff_ffff_ffff), to: SIMD4<Double>.self)
    let e = exp(magnitude + magnitude)
    var large = 1 - 2 / (e + 1)
    large = large.replacing(with: -large, where: x .< 0)
    let s = x * x
    var p = s * -9.64399179425052238628e-1 - 9.92877231001918586564e1
    p = p * s - 1.61468768441708447952e3
    var q = s + 1.12811678491632931402e2
    q = q * s + 2.23548839060100448583e3
    q = q * s + 4.84406305325125486048e3
    let small = x + x * s * (p / q)
    return large.replacing(with: small, where: magnitude .< 0.625)
  }
}
