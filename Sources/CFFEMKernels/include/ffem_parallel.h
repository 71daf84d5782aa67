// CFFEMKernels — a minimal thread pool for the runtime's parallel ops (pthreads; libc only).
//
// The runtime splits one op into independent tasks (row bands of a convolution, row blocks of a
// GEMM, slices of an elementwise op) and runs them with ffem_thread_pool_run: the calling thread
// and the pool's workers take task indices from a shared counter until none is left, then the
// call returns. Workers are created once; a run allocates nothing and makes no system call
// beyond the futex wake/wait of one condition-variable round trip.
#ifndef FFEM_PARALLEL_H
#define FFEM_PARALLEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ffem_thread_pool ffem_thread_pool;

/// One task: `index` ∈ [0, count) of the current run; `context` as passed to the run.
typedef void (*ffem_parallel_task_fn)(void *context, size_t index);

/// A pool that runs with `threads` threads in total (the caller plus threads − 1 workers).
/// Returns NULL when threads < 2 or when a worker cannot be created (run single-threaded then).
ffem_thread_pool *ffem_thread_pool_create(size_t threads);

/// Stops and joins the workers and frees the pool (NULL is ignored). No run may be in progress.
void ffem_thread_pool_destroy(ffem_thread_pool *pool);

/// Threads of the pool, caller included (1 for NULL).
size_t ffem_thread_pool_threads(const ffem_thread_pool *pool);

/// Runs task(context, i) for every i in [0, count), on the caller and the workers, and returns
/// when all have finished; every write of a task happens before the return. A NULL pool runs the
/// tasks in order on the caller. One run at a time per pool.
void ffem_thread_pool_run(ffem_thread_pool *pool, ffem_parallel_task_fn task, void *context, size_t count);

#ifdef __cplusplus
}
#endif
#endif
