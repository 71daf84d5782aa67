// CFFEMKernels — the 9 input pixels of one 3×3 output pixel (shared by the SIMD depthwise kernels). Internal.
#ifndef FFEM_DWCONV3X3_TAPS_H
#define FFEM_DWCONV3X3_TAPS_H
#include <stddef.h>
#include <stdint.h>

#include "ffem_qs8.h"

/// taps[ky·3 + kx] = the input pixel read by output (oy, ox), or NULL where it falls into the padding.
static inline void ffem_dwconv3x3_taps(const ffem_qs8_conv3x3_geometry *g, const int8_t *input, size_t oy, size_t ox,
                                       const int8_t *taps[9]) {
  for (size_t ky = 0; ky < 3; ky++) {
    const int64_t iy = (int64_t)(oy * g->stride + ky) - g->padding_top;
    for (size_t kx = 0; kx < 3; kx++) {
      const int64_t ix = (int64_t)(ox * g->stride + kx) - g->padding_left;
      const int inside = iy >= 0 && iy < g->input_height && ix >= 0 && ix < g->input_width;
      taps[ky * 3 + kx] = inside ? input + ((size_t)iy * g->input_width + (size_t)ix) * g->input_channels : NULL;
    }
  }
}
#endif
