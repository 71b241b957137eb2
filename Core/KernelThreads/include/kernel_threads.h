/* _EqpropKernelThreads: the kernel's worker pool. NO STABLE API (README.md). */
#ifndef EQP_KERNEL_THREADS_H
#define EQP_KERNEL_THREADS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One part of a job: called once for every part in 0 ..< parts, on some thread. */
typedef void (*eqp_pool_part)(void *context, int32_t part);

/* Runs part(context, p) for every p in 0 ..< parts on the pool's workers and the calling
 * thread, and returns when all have finished. Parts are claimed one at a time, so a worker
 * the OS does not schedule costs nothing: the caller takes its parts. When the pool is already
 * running a job (a call from another thread, or from inside a part) or has one thread, the
 * parts run on the calling thread, in order. */
void eqp_pool_run(int32_t parts, eqp_pool_part part, void *context);

/* Threads that run a job, the calling one included (at least 1). */
int32_t eqp_pool_threads(void);

/* Sets that count (clamped to 1 ... 64); workers start on first need and then wait, spinning
 * briefly after each job and sleeping after that. Call it when no job is running. */
void eqp_pool_set_threads(int32_t threads);

#ifdef __cplusplus
}
#endif

#endif
