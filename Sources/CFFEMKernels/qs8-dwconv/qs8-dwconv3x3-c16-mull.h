// CFFEMKernels — the body of the depthwise 3×3 NEON kernel (channel tile 16), shared by the
// AArch64 `neon` and the 32-bit `armv7neon` kernels (only intrinsics both instruction sets have).
//
// For every output pixel (oy, ox) and channel c, exactly as ffem_qs8_dwconv3x3_minmax_ukernel_c1__scalar:
//   out = requant_c(packed_bias[c] + Σ_{ky,kx} x(oy·s − pt + ky, ox·s − pl + kx, c) · w[c][ky·3 + kx])
// where a tap outside the image reads input_zero_point. `vmull_s8` forms each product exactly in
// int16 (|x·w| ≤ 128·128) and `vaddw_s16` adds it to an int32 lane, so the int32 sum is the
// scalar one; |acc| ≤ |packed_bias| + 9·128·127.
//
// Packed weights (ffem_x8_pack_dwconv, cr 16, int8 taps): per block of 16 channels, 16 int32
// biases, then 9 taps × 16 int8 weights. The last block reads its input, multipliers and shifts
// through partial loads (nothing past the channel count) and stores only the real channels.
#ifndef FFEM_QS8_DWCONV3X3_C16_MULL_H
#define FFEM_QS8_DWCONV3X3_C16_MULL_H

#include <assert.h>

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

/// acc[0..3] (16 int32 lanes) += x · w, lane by lane.
static inline void ffem_dwconv_mac16(int32x4_t acc[4], int8x16_t x, int8x16_t w) {
  const int16x8_t lo = vmull_s8(vget_low_s8(x), vget_low_s8(w));
  const int16x8_t hi = vmull_s8(vget_high_s8(x), vget_high_s8(w));
  acc[0] = vaddw_s16(acc[0], vget_low_s16(lo));
  acc[1] = vaddw_s16(acc[1], vget_high_s16(lo));
  acc[2] = vaddw_s16(acc[2], vget_low_s16(hi));
  acc[3] = vaddw_s16(acc[3], vget_high_s16(hi));
}

static inline void ffem_qs8_dwconv3x3_c16_mull(const ffem_qs8_conv3x3_geometry *g, const int8_t *input,
                                               const void *packed_weights, int8_t *output,
                                               const ffem_qs8_requant_params *params) {
  assert(g->stride >= 1 && g->input_channels == g->output_channels);
  const size_t channels = g->input_channels;
  const size_t block_bytes = 16 * sizeof(int32_t) + 9 * 16;
  const ffem_neon_output out = ffem_neon_output_init(params->output_zero_point, params->output_min,
                                                     params->output_max);
  const int8_t zero_point = (int8_t)g->input_zero_point;
  const int8x16_t padding = vdupq_n_s8(zero_point);
  const int8_t *block = (const int8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += 16, block += block_bytes) {
    const size_t valid = channels - c0 < 16 ? channels - c0 : 16;
    int32x4_t bias[4];
    for (int j = 0; j < 4; j++) bias[j] = ffem_neon_load_s32_unaligned(block + 16 * j);
    int8x16_t w[9];
    for (int t = 0; t < 9; t++) w[t] = vld1q_s8(block + 16 * sizeof(int32_t) + 16 * t);
    ffem_neon_requant4 q[4];
    ffem_neon_requant16_load(params, c0, valid, q);
    for (size_t oy = 0; oy < g->output_height; oy++) {
      // The three input rows of this output row (NULL: a padding row, every tap reads the zero point).
      const int8_t *row[3];
      for (size_t ky = 0; ky < 3; ky++) {
        const int64_t iy = (int64_t)(oy * g->stride + ky) - g->padding_top;
        row[ky] = iy >= 0 && iy < g->input_height ? input + (size_t)iy * g->input_width * channels + c0 : NULL;
      }
      for (size_t ox = 0; ox < g->output_width; ox++) {
        const int64_t ix0 = (int64_t)(ox * g->stride) - g->padding_left;
        const int interior = ix0 >= 0 && ix0 + 2 < g->input_width;
        int32x4_t acc[4] = {bias[0], bias[1], bias[2], bias[3]};
        for (size_t ky = 0; ky < 3; ky++) {
          for (size_t kx = 0; kx < 3; kx++) {
            const int64_t ix = ix0 + (int64_t)kx;
            const int inside = row[ky] != NULL && (interior || (ix >= 0 && ix < g->input_width));
            const int8x16_t x =
                inside ? ffem_neon_load_partial16(row[ky] + (size_t)ix * channels, valid, zero_point) : padding;
            ffem_dwconv_mac16(acc, x, w[ky * 3 + kx]);
          }
        }
        ffem_neon_requant16_store(output + (oy * g->output_width + ox) * channels + c0, acc, q, &out, valid);
      }
    }
  }
}

#endif
