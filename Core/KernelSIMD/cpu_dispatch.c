/* Which copy of _EqpropKernelSIMD's loops runs: decided once from the CPU (kernel_simd.h). */
#include "kernel_simd.h"
#include "simd_target.h"

int eqp_simd_cpu_has_avx2(void) {
#if EQP_HAS_AVX2_COPY
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 0;
#endif
}

/* Decided on first use; a race between two first calls stores the same answer twice. */
static int avx2_state = -1;

int32_t eqp_simd_uses_avx2(void) {
  int state = __atomic_load_n(&avx2_state, __ATOMIC_RELAXED);
  if (state < 0) {
    state = eqp_simd_cpu_has_avx2();
    __atomic_store_n(&avx2_state, state, __ATOMIC_RELAXED);
  }
  return state;
}

void eqp_simd_select_avx2(int32_t enable) {
  __atomic_store_n(&avx2_state, enable != 0 && eqp_simd_cpu_has_avx2(), __ATOMIC_RELAXED);
}
