// CFFEMKernels — the 9 input pixels of one 3×3 output pixel (shared by the SIMD depthwise kernels). Internal.
#ifndef FFEM_DWCONV3X3_TAPS_H
#define FFEM_DWCONV3X3_TAPS_H
#include <stddef.h>
#include <stdint.h>

#include "ffem_qs8.h"

/// rows[ky] = the input row read by output row oy, or NULL where it falls into the padding.
static inline __attribute__((always_inline)) void ffem_dwconv3x3_rows(const ffem_qs8_conv3x3_geometry *g,
                                                                      const int8_t *input, size_t oy,
                                                                      const int8_t *rows[3]) {
  for (size_t ky = 0; ky < 3; ky++) {
    const int64_t iy = (int64_t)(oy * g->stride + ky) - g->padding_top;
    rows[ky] = iy >= 0 && iy < g->input_height ? input + (size_t)iy * g->input_width * g->input_channels : NULL;
  }
}

/// taps[ky·3 + kx] = the input pixel read by output column ox from `rows`, or NULL in the padding.
static inline __attribute__((always_inline)) void ffem_dwconv3x3_taps(const ffem_qs8_conv3x3_geometry *g,
                                                                      const int8_t *const rows[3], size_t ox,
                                                                      const int8_t *taps[9]) {
  const int64_t ix0 = (int64_t)(ox * g->stride) - g->padding_left;
  const size_t channels = g->input_channels;
  if (ix0 >= 0 && ix0 + 2 < (int64_t)g->input_width) {
    for (size_t ky = 0; ky < 3; ky++) {
      for (size_t kx = 0; kx < 3; kx++) taps[ky * 3 + kx] = rows[ky] ? rows[ky] + ((size_t)ix0 + kx) * channels : NULL;
    }
    return;
  }
  for (size_t ky = 0; ky < 3; ky++) {
    for (size_t kx = 0; kx < 3; kx++) {
      const int64_t ix = ix0 + (int64_t)kx;
      const int inside = rows[ky] != NULL && ix >= 0 && ix < (int64_t)g->input_width;
      taps[ky * 3 + kx] = inside ? rows[ky] + (size_t)ix * channels : NULL;
    }
  }
}
#endif
