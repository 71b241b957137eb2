/// A floating-point type the vectorised loops run on: Float in 8 lanes, Double in 4.
///
/// Eight Floats or four Doubles fill one AVX register (or two SSE ones). The loops are generic
/// and specialised for both types; the per-type code is the transcendental functions, whose
/// bit tricks depend on the format, and the lane comparisons: the standard library's generic
/// SIMD comparisons (`.<` on a generic vector) run lane by lane with branches, while the
/// concrete SIMD8<Float> and SIMD4<Double> ones are single vector compares.
protocol KernelFloat: BinaryFloatingPoint, SIMDScalar, Codable {
  associatedtype Vector: SIMD where Vector.Scalar == Self

  /// exp, a few ulp from the correctly rounded result over the whole range (FastExp.swift).
  static func exp(_ x: Vector) -> Vector

  /// tanh, a few ulp (FastExp.swift).
  static func tanh(_ x: Vector) -> Vector

  /// Lanes where a < b (false where either is NaN).
  static func lanes(_ a: Vector, lessThan b: Vector) -> SIMDMask<Vector.MaskStorage>

  /// Lanes where a ≤ b (false where either is NaN).
  static func lanes(_ a: Vector, lessThanOrEqualTo b: Vector) -> SIMDMask<Vector.MaskStorage>

  /// Lanes that hold NaN.
  static func nanLanes(_ a: Vector) -> SIMDMask<Vector.MaskStorage>
}

extension Float: KernelFloat {
  typealias Vector = SIMD8<Float>

  @inline(__always)
  static func lanes(_ a: Vector, lessThan b: Vector) -> SIMDMask<SIMD8<Int32>> { a .< b }

  @inline(__always)
  static func lanes(_ a: Vector, lessThanOrEqualTo b: Vector) -> SIMDMask<SIMD8<Int32>> {
    a .<= b
  }

  @inline(__always)
  static func nanLanes(_ a: Vector) -> SIMDMask<SIMD8<Int32>> { a .!= a }
}

extension Double: KernelFloat {
  typealias Vector = SIMD4<Double>

  @inline(__always)
  static func lanes(_ a: Vector, lessThan b: Vector) -> SIMDMask<SIMD4<Int64>> { a .< b }

  @inline(__always)
  static func lanes(_ a: Vector, lessThanOrEqualTo b: Vector) -> SIMDMask<SIMD4<Int64>> {
    a .<= b
  }

  @inline(__always)
  static func nanLanes(_ a: Vector) -> SIMDMask<SIMD4<Int64>> { a .!= a }
}

extension UnsafePointer where Pointee: KernelFloat {
  /// The vector that starts at element i; no alignment needed.
  @inline(__always)
  func vector(at i: Int) -> Pointee.Vector {
    UnsafeRawPointer(self + i).loadUnaligned(as: Pointee.Vector.self)
  }

  /// The first `count` elements (fewer than a vector) from element i, zeros after them.
  @inline(__always)
  func partialVector(at i: Int, count: Int) -> Pointee.Vector {
    var v = Pointee.Vector()
    for lane in 0..<count { v[lane] = self[i + lane] }
    return v
  }
}

extension UnsafeMutablePointer where Pointee: KernelFloat {
  /// Stores v from element i; no alignment needed.
  @inline(__always)
  func store(_ v: Pointee.Vector, at i: Int) {
    UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: Pointee.Vector.self)
  }

  /// Writes the first `count` lanes of v from element i.
  @inline(__always)
  func storePartial(_ v: Pointee.Vector, at i: Int, count: Int) {
    for lane in 0..<count { self[i + lane] = v[lane] }
  }
}
