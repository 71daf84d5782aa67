// CFFEMRuntimeTestSupport — malloc-counter.c: per-thread allocation counting by symbol interposition.
#include "ffem_malloc_counter.h"

#include <errno.h>
#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FFEM_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FFEM_UNDER_ASAN 1
#endif

#if defined(__GLIBC__) && !defined(FFEM_UNDER_ASAN)

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

// Initial-exec TLS: reading it never allocates (no lazy TLS block), so it is safe inside malloc.
static __thread int counting __attribute__((tls_model("initial-exec")));
static __thread uint64_t count __attribute__((tls_model("initial-exec")));

static inline void note(void) {
  if (counting) count++;
}

void *malloc(size_t size) {
  note();
  return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
  note();
  return __libc_calloc(n, size);
}

void *realloc(void *pointer, size_t size) {
  note();
  return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
  note();
  return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
  note();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
  note();
  if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void *pointer = __libc_memalign(alignment, size);
  if (pointer == NULL && size != 0) return ENOMEM;
  *out = pointer;
  return 0;
}

int ffem_malloc_counter_is_available(void) { return 1; }

void ffem_malloc_counter_start(void) {
  count = 0;
  counting = 1;
}

uint64_t ffem_malloc_counter_stop(void) {
  counting = 0;
  return count;
}

#else

int ffem_malloc_counter_is_available(void) { return 0; }
void ffem_malloc_counter_start(void) {}
uint64_t ffem_malloc_counter_stop(void) { return 0; }

#endif
