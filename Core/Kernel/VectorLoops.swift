/// Elementwise loops over whole vectors, then one zero-padded partial vector for the tail, so
/// every element goes through the same vector code whatever n is.
///
/// Each loop loads a vector before it stores the result, so an output may be the same array as
/// an input (exact aliasing); partial overlaps are not supported. Nothing is allocated.
enum VectorLoop {
  /// y[i] = f(x[i]).
  @inline(__always)
  static func map<T: KernelFloat>(
    _ n: Int, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
    _ f: (T.Vector) -> T.Vector
  ) {
    let width = T.Vector.scalarCount
    var i = 0
    while i + width <= n {
      y.store(f(x.vector(at: i)), at: i)
      i += width
    }
    if i < n { y.storePartial(f(x.partialVector(at: i, count: n - i)), at: i, count: n - i) }
  }

  /// z[i] = f(x[i], y[i]).
  @inline(__always)
  static func map<T: KernelFloat>(
    _ n: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ z: UnsafeMutablePointer<T>,
    _ f: (T.Vector, T.Vector) -> T.Vector
  ) {
    let width = T.Vector.scalarCount
    var i = 0
    while i + width <= n {
      z.store(f(x.vector(at: i), y.vector(at: i)), at: i)
      i += width
    }
    if i < n {
      let rest = n - i
      let v = f(x.partialVector(at: i, count: rest), y.partialVector(at: i, count: rest))
      z.storePartial(v, at: i, count: rest)
    }
  }

  /// Calls body on every vector of x; the tail is padded with zeros, which the reductions
  /// that use it (count, max) ignore.
  @inline(__always)
  static func forEach<T: KernelFloat>(
    _ n: Int, _ x: UnsafePointer<T>, _ body: (T.Vector) -> Void
  ) {
    let width = T.Vector.scalarCount
    var i = 0
    while i + width <= n {
      body(x.vector(at: i))
      i += width
    }
    if i < n { body(x.partialVector(at: i, count: n - i)) }
  }

  /// Calls body on every pair of vectors of x and y, tails padded with zeros.
  @inline(__always)
  static func forEach<T: KernelFloat>(
    _ n: Int, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ body: (T.Vector, T.Vector) -> Void
  ) {
    let width = T.Vector.scalarCount
    var i = 0
    while i + width <= n {
      body(x.vector(at: i), y.vector(at: i))
      i += width
    }
    if i < n {
      body(x.partialVector(at: i, count: n - i), y.partialVector(at: i, count: n - i))
    }
  }
}
