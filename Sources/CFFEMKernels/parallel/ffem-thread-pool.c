// CFFEMKernels — ffem-thread-pool.c: the pool of ffem_parallel.h.
//
// Protocol: a run publishes (task, context, count), resets the shared index and the count of
// workers still busy, bumps `generation` and broadcasts under the mutex. Each worker that sees a
// new generation takes indices with an atomic fetch-add until they run out, then decrements
// `busy` under the mutex and signals the caller when it reaches zero. The caller takes indices
// too, then waits for busy == 0. The mutex hand-offs order every task's writes before the return.
#include "ffem_parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct ffem_thread_pool {
  pthread_mutex_t mutex;
  pthread_cond_t work;  // workers wait for a new generation (or stop)
  pthread_cond_t done;  // the caller waits for busy == 0
  size_t workers;
  pthread_t *threads;
  unsigned long generation;
  int stopping;
  size_t busy;
  ffem_parallel_task_fn task;
  void *context;
  size_t count;
  atomic_size_t next;
};

static void drain(ffem_thread_pool *pool) {
  for (;;) {
    const size_t index = atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);
    if (index >= pool->count) return;
    pool->task(pool->context, index);
  }
}

static void *worker_main(void *argument) {
  ffem_thread_pool *pool = (ffem_thread_pool *)argument;
  unsigned long seen = 0;
  pthread_mutex_lock(&pool->mutex);
  for (;;) {
    while (!pool->stopping && pool->generation == seen) pthread_cond_wait(&pool->work, &pool->mutex);
    if (pool->stopping) break;
    seen = pool->generation;
    pthread_mutex_unlock(&pool->mutex);
    drain(pool);
    pthread_mutex_lock(&pool->mutex);
    if (--pool->busy == 0) pthread_cond_signal(&pool->done);
  }
  pthread_mutex_unlock(&pool->mutex);
  return NULL;
}

ffem_thread_pool *ffem_thread_pool_create(size_t threads) {
  if (threads < 2) return NULL;
  ffem_thread_pool *pool = (ffem_thread_pool *)calloc(1, sizeof(ffem_thread_pool));
  if (pool == NULL) return NULL;
  pool->threads = (pthread_t *)calloc(threads - 1, sizeof(pthread_t));
  if (pool->threads == NULL) {
    free(pool);
    return NULL;
  }
  pthread_mutex_init(&pool->mutex, NULL);
  pthread_cond_init(&pool->work, NULL);
  pthread_cond_init(&pool->done, NULL);
  atomic_init(&pool->next, 0);
  for (size_t i = 0; i < threads - 1; i++) {
    if (pthread_create(&pool->threads[i], NULL, worker_main, pool) != 0) {
      ffem_thread_pool_destroy(pool);
      return NULL;
    }
    pool->workers = i + 1;
  }
  return pool;
}

void ffem_thread_pool_destroy(ffem_thread_pool *pool) {
  if (pool == NULL) return;
  pthread_mutex_lock(&pool->mutex);
  pool->stopping = 1;
  pthread_cond_broadcast(&pool->work);
  pthread_mutex_unlock(&pool->mutex);
  for (size_t i = 0; i < pool->workers; i++) pthread_join(pool->threads[i], NULL);
  pthread_cond_destroy(&pool->done);
  pthread_cond_destroy(&pool->work);
  pthread_mutex_destroy(&pool->mutex);
  free(pool->threads);
  free(pool);
}

size_t ffem_thread_pool_threads(const ffem_thread_pool *pool) { return pool == NULL ? 1 : pool->workers + 1; }

void ffem_thread_pool_run(ffem_thread_pool *pool, ffem_parallel_task_fn task, void *context, size_t count) {
  if (pool == NULL || count < 2) {
    for (size_t i = 0; i < count; i++) task(context, i);
    return;
  }
  pthread_mutex_lock(&pool->mutex);
  pool->task = task;
  pool->context = context;
  pool->count = count;
  atomic_store_explicit(&pool->next, 0, memory_order_relaxed);
  pool->busy = pool->workers;
  pool->generation++;
  pthread_cond_broadcast(&pool->work);
  pthread_mutex_unlock(&pool->mutex);
  drain(pool);
  pthread_mutex_lock(&pool->mutex);
  while (pool->busy != 0) pthread_cond_wait(&pool->done, &pool->mutex);
  pthread_mutex_unlock(&pool->mutex);
}
