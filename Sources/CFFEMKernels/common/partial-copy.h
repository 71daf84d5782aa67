// CFFEMKernels — copies of a vector's worth of bytes that are sometimes shorter (tails). Internal.
#ifndef FFEM_PARTIAL_COPY_H
#define FFEM_PARTIAL_COPY_H
#include <stddef.h>
#include <string.h>

/// memcpy(destination, source, count) for count ≤ full, where count == full is the common case:
/// that case is a fixed-size copy (one load and one store once inlined), not a libc call.
static inline __attribute__((always_inline)) void ffem_copy_partial(void *destination, const void *source, size_t count,
                                                                    size_t full) {
  if (count == full) {
    memcpy(destination, source, full);
  } else {
    memcpy(destination, source, count);
  }
}
#endif
