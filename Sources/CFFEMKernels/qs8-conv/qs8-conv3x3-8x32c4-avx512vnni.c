// CFFEMKernels — ffem_qs8_conv3x3_minmax_ukernel_8x32c4__avx512vnni: standard 3×3 convolution (the stem)
// as a GEMM over window rows (tile nr 32, FFEM_CONV3X3_LAYOUT_GEMM_C4: the 8x32c4 GEMM's packing
// with K = 9·input_channels). Output pixels are taken in chunks; each pixel's window (OHWI order
// ky, kx, ci; the input zero point where it falls into the padding) is copied as one int8 row of
// a stack buffer (≤ 16 KiB: 64 rows, fewer for wide windows), and the chunk runs through the
// 8x32c4 VNNI GEMM of qs8-gemm-8x32c4-avx512vnni.h: out = requant(packed_bias + Σ window·w), the
// same sum as the scalar oracle. Window rows are 9 contiguous runs of input_channels bytes, and a
// kernel row (3 taps) of an interior pixel is one run of 3·input_channels bytes.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../qs8-dwconv/dwconv3x3-taps.h"
#include "../qs8-gemm/qs8-gemm-8x32c4-avx512vnni.h"

/// Copies `bytes` bytes (masked vector copies up to 64 bytes; memcpy beyond).
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void copy_run(int8_t *dst, const int8_t *src, size_t bytes) {
  if (bytes <= 64) {
    const __mmask64 mask = bytes == 64 ? ~(__mmask64)0 : (((__mmask64)1 << bytes) - 1);
    _mm512_mask_storeu_epi8(dst, mask, _mm512_maskz_loadu_epi8(mask, src));
  } else {
    memcpy(dst, src, bytes);
  }
}

/// The window of output pixel (oy, ox) as one row of 9·ci int8.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void window_row(const ffem_qs8_conv3x3_geometry *g,
                                                                              const int8_t *const rows[3], size_t ox,
                                                                              int8_t *dst) {
  const size_t ci = g->input_channels;
  const int64_t ix0 = (int64_t)(ox * g->stride) - g->padding_left;
  const int interior_x = ix0 >= 0 && ix0 + 2 < (int64_t)g->input_width;
  for (size_t ky = 0; ky < 3; ky++, dst += 3 * ci) {
    if (rows[ky] != NULL && interior_x) {
      copy_run(dst, rows[ky] + (size_t)ix0 * ci, 3 * ci);
      continue;
    }
    for (size_t kx = 0; kx < 3; kx++) {
      const int64_t ix = ix0 + (int64_t)kx;
      if (rows[ky] != NULL && ix >= 0 && ix < (int64_t)g->input_width) {
        copy_run(dst + kx * ci, rows[ky] + (size_t)ix * ci, ci);
      } else {
        memset(dst + kx * ci, (int)(int8_t)g->input_zero_point, ci);
      }
    }
  }
}

TARGET_AVX512VNNI void ffem_qs8_conv3x3_minmax_ukernel_8x32c4__avx512vnni(const ffem_qs8_conv3x3_geometry *g,
                                                                         const int8_t *input, const void *packed_weights,
                                                                         int8_t *output,
                                                                         const ffem_qs8_requant_params *params) {
  enum { BUFFER = 16384, MAX_CHUNK = 64 };
  const size_t k = 9 * (size_t)g->input_channels, co = g->output_channels;
  // Rows of K rounded up to the kr of 4 (the packed weights are zero-padded the same way).
  const size_t row_stride = (k + 3) / 4 * 4;
  size_t chunk = BUFFER / row_stride;
  chunk = chunk > MAX_CHUNK ? MAX_CHUNK : (chunk >= 8 ? chunk / 8 * 8 : chunk);
  __attribute__((aligned(64))) int8_t buffer[BUFFER];
  memset(buffer, 0, sizeof(buffer));
  const size_t pixels = (size_t)g->output_height * g->output_width;
  const int right_shift = ffem_requant_is_right_shift(params, co);
  size_t oy = 0, ox = 0;
  const int8_t *rows[3];
  ffem_dwconv3x3_rows(g, input, 0, rows);
  for (size_t p0 = 0; p0 < pixels; p0 += chunk) {
    const size_t m = pixels - p0 < chunk ? pixels - p0 : chunk;
    for (size_t i = 0; i < m; i++) {
      window_row(g, rows, ox, buffer + i * row_stride);
      if (++ox == g->output_width) {
        ox = 0;
        if (++oy < g->output_height) ffem_dwconv3x3_rows(g, input, oy, rows);
      }
    }
    // K rounded up to the kr of 4: the pad bytes (zeroed once) meet the packer's zero weights, and
    // every row read is a whole 4-byte group (no partial tail loads).
    if (right_shift) {
      gemm_8x32c4(m, co, row_stride, buffer, row_stride, packed_weights, output + p0 * co, co, params, NULL, 0, 1);
    } else {
      gemm_8x32c4(m, co, row_stride, buffer, row_stride, packed_weights, output + p0 * co, co, params, NULL, 0, 0);
    }
  }
}
#endif
