/* Private to _EqpropKernelSIMD: how a body is compiled twice and which copy runs. */
#ifndef EQP_SIMD_TARGET_H
#define EQP_SIMD_TARGET_H

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define EQP_HAS_AVX2_COPY 1
#define EQP_AVX2 __attribute__((target("avx2,fma")))
#else
#define EQP_HAS_AVX2_COPY 0
#endif

/* Whether the CPU can run the AVX2 + FMA copies (cpu_dispatch.c). */
int eqp_simd_cpu_has_avx2(void);

#endif
