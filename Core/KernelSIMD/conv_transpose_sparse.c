/* The sparse transposed convolution of _EqpropKernelSIMD (kernel_simd.h), compiled twice from
 * one body: baseline x86-64 and AVX2 + FMA, picked once at run time. */
#include "kernel_simd.h"
#include "simd_target.h"

#include <stddef.h>

/* The body, for element type T and a function-name suffix; ATTR adds a target attribute.
 * For each nonzero y[o,i,j] and kernel row u, the taps v that land inside the image are
 * contiguous in packed (…[v][c]) and in acc (…[iw][c]): one axpy of (last − first)·C
 * elements, which the compiler vectorises (restrict: packed and acc never overlap). */
#define EQP_SPARSE_TRANSPOSE(T, NAME, ATTR)                                                    \
  ATTR static void NAME(const EqpSimdConv *g, const T *y, const T *packed, T *acc) {         \
    const int64_t C = g->in_channels;                                                         \
    const int64_t row = g->kernel_w * C;                                                      \
    for (int64_t o = 0; o < g->out_channels; o++) {                                           \
      const T *plane = y + o * g->out_h * g->out_w;                                           \
      const T *kernel = packed + o * g->kernel_h * row;                                       \
      for (int64_t i = 0; i < g->out_h; i++) {                                                \
        for (int64_t j = 0; j < g->out_w; j++) {                                              \
          const T value = plane[i * g->out_w + j];                                            \
          if (value == 0) continue;                                                           \
          const int64_t left = j * g->stride_w - g->pad_w;                                    \
          const int64_t first = left < 0 ? -left : 0;                                         \
          const int64_t end = g->in_w - left < g->kernel_w ? g->in_w - left : g->kernel_w;    \
          if (first >= end) continue;                                                         \
          const int64_t count = (end - first) * C;                                            \
          for (int64_t u = 0; u < g->kernel_h; u++) {                                         \
            const int64_t ih = i * g->stride_h + u - g->pad_h;                                \
            if (ih < 0 || ih >= g->in_h) continue;                                            \
            const T *restrict x = kernel + u * row + first * C;                               \
            T *restrict target = acc + (ih * g->in_w + left + first) * C;                     \
            for (int64_t k = 0; k < count; k++) target[k] += value * x[k];                    \
          }                                                                                   \
        }                                                                                     \
      }                                                                                       \
    }                                                                                         \
  }

#if EQP_HAS_AVX2_COPY
EQP_SPARSE_TRANSPOSE(float, sparse_f32_avx2, EQP_AVX2)
EQP_SPARSE_TRANSPOSE(double, sparse_f64_avx2, EQP_AVX2)
#else
#define sparse_f32_avx2 sparse_f32_base
#define sparse_f64_avx2 sparse_f64_base
#endif

EQP_SPARSE_TRANSPOSE(float, sparse_f32_base, )
EQP_SPARSE_TRANSPOSE(double, sparse_f64_base, )

void eqp_simd_conv_transpose_sparse_f32(const EqpSimdConv *g, const float *y,
                                        const float *packed, float *acc) {
  if (eqp_simd_uses_avx2()) sparse_f32_avx2(g, y, packed, acc);
  else sparse_f32_base(g, y, packed, acc);
}

void eqp_simd_conv_transpose_sparse_f64(const EqpSimdConv *g, const double *y,
                                        const double *packed, double *acc) {
  if (eqp_simd_uses_avx2()) sparse_f64_avx2(g, y, packed, acc);
  else sparse_f64_base(g, y, packed, acc);
}
