import _EqpropKernelSIMD

/// The per-example loop of `Convolution.transposeSparse`, in C (_EqpropKernelSIMD: baseline
/// and AVX2 + FMA copies, picked at run time), for each element type.
protocol SparseTranspose {
  /// acc[ih][iw][c] += the transposed convolution of one example's y over its nonzeros
  /// (kernel_simd.h); packed is the weight with input channels last.
  static func accumulateTransposed(
    _ g: UnsafePointer<EqpSimdConv>, _ y: UnsafePointer<Self>, _ packed: UnsafePointer<Self>,
    _ acc: UnsafeMutablePointer<Self>)
}

extension Float: SparseTranspose {
  static func accumulateTransposed(
    _ g: UnsafePointer<EqpSimdConv>, _ y: UnsafePointer<Float>, _ packed: UnsafePointer<Float>,
    _ acc: UnsafeMutablePointer<Float>
  ) {
    eqp_simd_conv_transpose_sparse_f32(g, y, packed, acc)
  }
}

extension Double: SparseTranspose {
  static func accumulateTransposed(
    _ g: UnsafePointer<EqpSimdConv>, _ y: UnsafePointer<Double>, _ packed: UnsafePointer<Double>,
    _ acc: UnsafeMutablePointer<Double>
  ) {
    eqp_simd_conv_transpose_sparse_f64(g, y, packed, acc)
  }
}
