/* _EqpropKernelSIMD: private C helpers of EqpropKernel. NO STABLE API (README.md). */
#ifndef EQP_KERNEL_SIMD_H
#define EQP_KERNEL_SIMD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The forward geometry of a convolution, per example (NCHW), as EqpropKernel checked it. */
typedef struct EqpSimdConv {
  int64_t in_channels, in_h, in_w, out_channels, out_h, out_w;
  int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
} EqpSimdConv;

/* The transposed convolution of one example over the nonzeros of y only:
 *   acc[ih][iw][c] += Σ_{o,i,j: y[o,i,j] ≠ 0} Σ_{u,v} packed[o][u][v][c] · y[o,i,j]
 * with ih = i·stride_h + u − pad_h, iw = j·stride_w + v − pad_w inside the image. y is
 * [out_channels, out_h, out_w]; packed is the weight with input channels last,
 * [out_channels][kernel_h][kernel_w][in_channels]; acc is channel-last [in_h][in_w][in_channels]
 * and is accumulated into. A NaN in y is not zero and propagates. */
void eqp_simd_conv_transpose_sparse_f32(const EqpSimdConv *g, const float *y,
                                        const float *packed, float *acc);
void eqp_simd_conv_transpose_sparse_f64(const EqpSimdConv *g, const double *y,
                                        const double *packed, double *acc);

/* y[i] = 1 / (1 + e^(shift − scale·x[i])) for i < n, float32: sigmoid (scale 1, shift 0) and
 * sigm (scale 4, shift 2). y may be x. NaN stays NaN. */
void eqp_simd_logistic_f32(int64_t n, float scale, float shift, const float *x, float *y);

/* y[i] = tanh(x[i]) for i < n, float32. y may be x. */
void eqp_simd_tanh_f32(int64_t n, const float *x, float *y);

/* 1 when the AVX2 + FMA copy runs, 0 for the baseline one (for tests and messages). */
int32_t eqp_simd_uses_avx2(void);

/* For tests: 0 selects the baseline copy, nonzero the AVX2 one if the CPU has it. Not
 * thread-safe against calls running at the same time. */
void eqp_simd_select_avx2(int32_t enable);

#ifdef __cplusplus
}
#endif

#endif
