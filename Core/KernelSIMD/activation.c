/* The logistic and tanh activations in float32 of _EqpropKernelSIMD (kernel_simd.h), compiled
 * twice from one body: baseline x86-64 and AVX2 + FMA, picked at run time. The arithmetic is
 * Core/Kernel/FastExp.swift's (Cephes expf and tanhf), lane for lane; only FMA contraction
 * differs, within the same few-ulp bound. */
#include "kernel_simd.h"
#include "simd_target.h"

#include <string.h>

typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
typedef uint32_t v4u __attribute__((vector_size(16)));
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef uint32_t v8u __attribute__((vector_size(32)));

/* The helpers and loops for one vector width: 8 lanes (one AVX register) in the AVX2 copy, 4
 * (one SSE register) in the baseline one, whose ABI has no 32-byte vectors. */
#define EQP_ACTIVATIONS(SUFFIX, ATTR, VF, VI, VU, LANES)                                           \
  /* mask ? a : b, lane by lane (mask lanes are all ones or all zeros). */                     \
  ATTR static inline VF select_##SUFFIX(VI mask, VF a, VF b) {                                \
    return (VF)(((VI)a & mask) | ((VI)b & ~mask));                                            \
  }                                                                                           \
  /* e^x; NaN fails both clamps and stays NaN. */                                             \
  ATTR static inline VF exp_##SUFFIX(VF x) {                                                  \
    x = select_##SUFFIX(x > 89.0f, (VF){0} + 89.0f, x);                                       \
    x = select_##SUFFIX(x < -104.0f, (VF){0} - 104.0f, x);                                    \
    const VF magic = (VF){0} + 0x1.8p23f;                                                     \
    VF shifted = x * 1.44269504088896341f + magic; /* rounds x·log2(e) to an integer */     \
    VF nf = shifted - magic;                                                                  \
    VI n = (VI)shifted - (VI)magic;                                                           \
    VF r = x - nf * 0.693359375f;                                                             \
    r = r - nf * -2.12194440e-4f;                                                             \
    VF r2 = r * r;                                                                            \
    VF p = r * 1.9875691500e-4f + 1.3981999507e-3f;                                           \
    p = p * r + 8.3334519073e-3f;                                                             \
    p = p * r + 4.1665795894e-2f;                                                             \
    p = p * r + 1.6666665459e-1f;                                                             \
    p = p * r + 5.0000001201e-1f;                                                             \
    p = p * r2 + r + 1.0f;                                                                    \
    VI half = n >> 1;                                                                         \
    /* Shifted as unsigned: a NaN lane's garbage n must not overflow a signed shift (its   \
     * result is NaN whatever the scale). */                                                  \
    VF scale1 = (VF)((VU)(half + 127) << 23);                                                 \
    VF scale2 = (VF)((VU)(n - half + 127) << 23);                                             \
    return p * scale1 * scale2;                                                               \
  }                                                                                           \
  /* 1 / (1 + e^(shift − scale·a)). */                                                        \
  ATTR static inline VF logistic_##SUFFIX(VF a, float scale, float shift) {                   \
    return 1.0f / (1.0f + exp_##SUFFIX(shift - a * scale));                                   \
  }                                                                                           \
  ATTR static inline VF tanh_##SUFFIX(VF x) {                                                 \
    VF magnitude = (VF)((VI)x & 0x7fffffff);                                                  \
    VF e = exp_##SUFFIX(magnitude + magnitude);                                               \
    VF large = 1.0f - 2.0f / (e + 1.0f);                                                      \
    large = select_##SUFFIX(x < 0.0f, -large, large);                                         \
    VF s = x * x;                                                                             \
    VF p = s * -5.70498872745e-3f + 2.06390887954e-2f;                                        \
    p = p * s - 5.37397155531e-2f;                                                            \
    p = p * s + 1.33314422036e-1f;                                                            \
    p = p * s - 3.33332819422e-1f;                                                            \
    VF small = p * s * x + x;                                                                 \
    return select_##SUFFIX(magnitude < 0.625f, small, large);                                 \
  }                                                                                           \
  /* y[0..<n] = f(x[0..<n]); the last partial vector goes through a zero-padded copy. y may  \
   * be x. */                                                                                 \
  ATTR static void logistic_loop_##SUFFIX(int64_t n, const float *x, float *y, float scale,   \
                                          float shift) {                                      \
    int64_t i = 0;                                                                            \
    for (; i + LANES <= n; i += LANES) {                                                      \
      VF a;                                                                                   \
      memcpy(&a, x + i, sizeof a);                                                            \
      VF r = logistic_##SUFFIX(a, scale, shift);                                              \
      memcpy(y + i, &r, sizeof r);                                                            \
    }                                                                                         \
    if (i < n) {                                                                              \
      VF a = {0};                                                                             \
      memcpy(&a, x + i, (size_t)(n - i) * sizeof(float));                                     \
      VF r = logistic_##SUFFIX(a, scale, shift);                                              \
      memcpy(y + i, &r, (size_t)(n - i) * sizeof(float));                                     \
    }                                                                                         \
  }                                                                                           \
  ATTR static void tanh_loop_##SUFFIX(int64_t n, const float *x, float *y) {                  \
    int64_t i = 0;                                                                            \
    for (; i + LANES <= n; i += LANES) {                                                      \
      VF a;                                                                                   \
      memcpy(&a, x + i, sizeof a);                                                            \
      VF r = tanh_##SUFFIX(a);                                                                \
      memcpy(y + i, &r, sizeof r);                                                            \
    }                                                                                         \
    if (i < n) {                                                                              \
      VF a = {0};                                                                             \
      memcpy(&a, x + i, (size_t)(n - i) * sizeof(float));                                     \
      VF r = tanh_##SUFFIX(a);                                                                \
      memcpy(y + i, &r, (size_t)(n - i) * sizeof(float));                                     \
    }                                                                                         \
  }

#if EQP_HAS_AVX2_COPY
EQP_ACTIVATIONS(avx2, EQP_AVX2, v8f, v8i, v8u, 8)
#else
#define logistic_loop_avx2 logistic_loop_base
#define tanh_loop_avx2 tanh_loop_base
#endif
EQP_ACTIVATIONS(base, , v4f, v4i, v4u, 4)

void eqp_simd_logistic_f32(int64_t n, float scale, float shift, const float *x, float *y) {
  if (eqp_simd_uses_avx2()) logistic_loop_avx2(n, x, y, scale, shift);
  else logistic_loop_base(n, x, y, scale, shift);
}

void eqp_simd_tanh_f32(int64_t n, const float *x, float *y) {
  if (eqp_simd_uses_avx2()) tanh_loop_avx2(n, x, y);
  else tanh_loop_base(n, x, y);
}
