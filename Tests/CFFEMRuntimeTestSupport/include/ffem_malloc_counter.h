// CFFEMRuntimeTestSupport — counts heap allocations made by the calling thread (tests only).
//
// The test binary's malloc, calloc, realloc, memalign, posix_memalign and aligned_alloc are
// replaced by forwarders to glibc's __libc_* entry points that, while counting is switched on for
// the calling thread, count each call. Everything that allocates — Swift runtime, stdlib, C — goes
// through these symbols, so a zero count across a call proves that call allocated nothing.
// Under AddressSanitizer (which owns malloc) the forwarders are not built and
// ffem_malloc_counter_is_available() returns 0.
#ifndef FFEM_MALLOC_COUNTER_H
#define FFEM_MALLOC_COUNTER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when allocations are counted (glibc, no sanitizer), else 0.
int ffem_malloc_counter_is_available(void);
/// Starts counting this thread's allocations from zero.
void ffem_malloc_counter_start(void);
/// Stops counting and returns the number of allocation calls this thread made since the start.
uint64_t ffem_malloc_counter_stop(void);

#ifdef __cplusplus
}
#endif
#endif
