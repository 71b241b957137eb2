/* The kernel's worker pool (include/kernel_threads.h).
 *
 * A job is published by bumping `generation`; parts are claimed with an atomic counter, so
 * the result of a job never depends on which thread ran which part. The caller changes the
 * job's fields only after every part of the previous job has finished. Workers spin for a short
 * while after each job (EP issues GEMMs microseconds apart) and then sleep on a condition
 * variable, so an idle host costs no CPU. */
#define _GNU_SOURCE
#include "kernel_threads.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

enum { MAX_THREADS = 64 };
/* How long a worker spins for the next job before it sleeps, in nanoseconds. */
static const int64_t SPIN_NANOSECONDS = 200000;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static atomic_int sleepers;
static atomic_ullong generation;
static atomic_int busy;          /* 1 while a job runs: nested or concurrent calls go serial */
static atomic_int thread_count = 1;
static int started_workers;      /* guarded by lock */

/* The current job, written before its claim word is published. */
static eqp_pool_part job_part;
static void *job_context;
/* (parts << 32) | next unclaimed part, in one word so that a claim can never pair one job's
 * part count with another's counter. */
static atomic_ullong claim_word;
static atomic_int finished_parts;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static int64_t now_nanoseconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Claims and runs parts until none is left. */
static void run_parts(void) {
  for (;;) {
    unsigned long long claimed = atomic_fetch_add(&claim_word, 1);
    unsigned long long part = claimed & 0xffffffffu;
    if (part >= claimed >> 32) return;
    job_part(job_context, (int32_t)part);
    atomic_fetch_add(&finished_parts, 1);
  }
}

static void wait_for_job(unsigned long long seen) {
  int64_t deadline = now_nanoseconds() + SPIN_NANOSECONDS;
  for (int spins = 0; atomic_load(&generation) == seen; spins++) {
    if ((spins & 63) != 63 || now_nanoseconds() < deadline) {
      cpu_relax();
      continue;
    }
    pthread_mutex_lock(&lock);
    atomic_fetch_add(&sleepers, 1);
    while (atomic_load(&generation) == seen) pthread_cond_wait(&wake, &lock);
    atomic_fetch_sub(&sleepers, 1);
    pthread_mutex_unlock(&lock);
  }
}

static void *worker_main(void *unused) {
  (void)unused;
  unsigned long long seen = atomic_load(&generation);
  for (;;) {
    wait_for_job(seen);
    seen = atomic_load(&generation);
    run_parts();
  }
  return NULL;
}

/* Starts workers up to thread_count − 1; false when the OS refuses a thread. */
static bool ensure_workers(void) {
  int wanted = atomic_load(&thread_count) - 1;
  pthread_mutex_lock(&lock);
  while (started_workers < wanted) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, worker_main, NULL) != 0) break;
    pthread_detach(thread);
    started_workers++;
  }
  bool ready = started_workers >= wanted;
  pthread_mutex_unlock(&lock);
  return ready;
}

static void run_serially(int32_t parts, eqp_pool_part part, void *context) {
  for (int32_t p = 0; p < parts; p++) part(context, p);
}

void eqp_pool_run(int32_t parts, eqp_pool_part part, void *context) {
  if (parts <= 1 || atomic_load(&thread_count) <= 1 || atomic_exchange(&busy, 1) != 0) {
    run_serially(parts, part, context);
    return;
  }
  if (!ensure_workers()) {
    atomic_store(&busy, 0);
    run_serially(parts, part, context);
    return;
  }
  job_part = part;
  job_context = context;
  atomic_store(&finished_parts, 0);
  atomic_store(&claim_word, (unsigned long long)parts << 32);
  atomic_fetch_add(&generation, 1);
  if (atomic_load(&sleepers) > 0) {
    pthread_mutex_lock(&lock);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
  }
  run_parts();
  /* A part a worker claimed and is still running: wait, yielding if it takes long (the
   * worker may share its core with other work). */
  for (int spins = 0; atomic_load(&finished_parts) < parts; spins++) {
    if (spins < 4096) cpu_relax();
    else sched_yield();
  }
  atomic_store(&busy, 0);
}

int32_t eqp_pool_threads(void) { return atomic_load(&thread_count); }

void eqp_pool_set_threads(int32_t threads) {
  if (threads < 1) threads = 1;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  atomic_store(&thread_count, threads);
}
