// CFFEMKernels — the depthwise convolution variants of this CPU, and the entry points that use the
// best one. The CPU is probed once, here; the kernels never probe it.
#include <stdatomic.h>
#include <stdint.h>
#include "ffem_f32.h"

static const ffem_f32_dwconv_ukernels variants[] = {
#if defined(__x86_64__)
    {"avx512", ffem_f32_dwconv_forward__avx512, ffem_f32_dwconv_backward__avx512},
    {"avx2", ffem_f32_dwconv_forward__avx2, ffem_f32_dwconv_backward__avx2},
#endif
    {"c4", ffem_f32_dwconv_forward__c4, ffem_f32_dwconv_backward__c4},
};
enum { VARIANT_COUNT = sizeof variants / sizeof variants[0] };

static size_t first_supported(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 0;
  if (__builtin_cpu_supports("avx2")) return 1;
  return 2;
#else
  return 0;
#endif
}

static atomic_size_t chosen = SIZE_MAX;

const ffem_f32_dwconv_ukernels *ffem_f32_dwconv_variants(size_t *count) {
  size_t first = atomic_load_explicit(&chosen, memory_order_relaxed);
  if (first == SIZE_MAX) {
    first = first_supported();  // idempotent: a racing thread stores the same value
    atomic_store_explicit(&chosen, first, memory_order_relaxed);
  }
  *count = VARIANT_COUNT - first;
  return variants + first;
}

void ffem_f32_dwconv_forward(const float *x, size_t height, size_t width, size_t channels, const float *w, const float *bias,
                             size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left, float *y,
                             size_t out_height, size_t out_width) {
  size_t count;
  ffem_f32_dwconv_variants(&count)->forward(x, height, width, channels, w, bias, kh, kw, stride, pad_top, pad_left, y,
                                            out_height, out_width);
}

void ffem_f32_dwconv_backward(const float *x, size_t height, size_t width, size_t channels, const float *w, size_t kh,
                              size_t kw, size_t stride, size_t pad_top, size_t pad_left, const float *dy, size_t out_height,
                              size_t out_width, int accumulate, float *dx, float *dw, float *db) {
  size_t count;
  ffem_f32_dwconv_variants(&count)->backward(x, height, width, channels, w, kh, kw, stride, pad_top, pad_left, dy, out_height,
                                             out_width, accumulate, dx, dw, db);
}
