// CFFEMKernels — the body of the standard 3×3 convolution NEON kernel (the stem; output-channel
// tile 8), shared by the AArch64 `neon` and the 32-bit `armv7neon` kernels.
//
// For every output pixel (oy, ox) and output channel o, exactly as ffem_qs8_conv3x3_minmax_ukernel_1__scalar:
//   out = requant_o(packed_bias[o] + Σ_{ky,kx,c} x(oy·s − pt + ky, ox·s − pl + kx, c) · w[o][ky][kx][c])
// with taps outside the image reading input_zero_point. Each input value is broadcast and
// multiplied into 8 output channels with `vmlal_s16` (exact int16 × int16 → int32);
// |acc| ≤ |packed_bias| + 9·input_channels·128·127 < 2^31 for input_channels ≤ 2^10.
//
// Packed weights (ffem_x8_pack_conv3x3, nr 8): per block of 8 output channels, 8 int32 biases,
// then for each (ky, kx, c) the 8 weights of the block. The last block reads only the real
// channels' multipliers and shifts and stores only the real channels.
#ifndef FFEM_QS8_CONV3X3_8_MLAL_H
#define FFEM_QS8_CONV3X3_8_MLAL_H

#include <assert.h>

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

static inline void ffem_qs8_conv3x3_8_mlal(const ffem_qs8_conv3x3_geometry *g, const int8_t *input,
                                           const void *packed_weights, int8_t *output,
                                           const ffem_qs8_requant_params *params) {
  assert(g->stride >= 1);
  const size_t ci = g->input_channels, co = g->output_channels;
  const size_t block_bytes = 8 * sizeof(int32_t) + 9 * ci * 8;
  const ffem_neon_output out = ffem_neon_output_init(params->output_zero_point, params->output_min,
                                                     params->output_max);
  const int16_t zero_point = (int16_t)g->input_zero_point;
  const int8_t *block = (const int8_t *)packed_weights;
  for (size_t o0 = 0; o0 < co; o0 += 8, block += block_bytes) {
    const size_t valid = co - o0 < 8 ? co - o0 : 8;
    const int32x4_t bias_lo = ffem_neon_load_s32_unaligned(block);
    const int32x4_t bias_hi = ffem_neon_load_s32_unaligned(block + 16);
    const ffem_neon_requant4 q_lo =
        ffem_neon_requant4_load_partial(params->multiplier + o0, params->shift + o0, valid);
    const ffem_neon_requant4 q_hi =
        valid > 4 ? ffem_neon_requant4_load_partial(params->multiplier + o0 + 4, params->shift + o0 + 4, valid - 4)
                  : q_lo;
    const int8_t *w = block + 8 * sizeof(int32_t);
    for (size_t oy = 0; oy < g->output_height; oy++) {
      for (size_t ox = 0; ox < g->output_width; ox++) {
        int32x4_t acc_lo = bias_lo, acc_hi = bias_hi;
        for (size_t ky = 0; ky < 3; ky++) {
          const int64_t iy = (int64_t)(oy * g->stride + ky) - g->padding_top;
          for (size_t kx = 0; kx < 3; kx++) {
            const int64_t ix = (int64_t)(ox * g->stride + kx) - g->padding_left;
            const int inside = iy >= 0 && iy < g->input_height && ix >= 0 && ix < g->input_width;
            const int8_t *pixel = inside ? input + ((size_t)iy * g->input_width + (size_t)ix) * ci : NULL;
            const int8_t *wt = w + (ky * 3 + kx) * ci * 8;
            for (size_t c = 0; c < ci; c++) {
              const int16x4_t x = vdup_n_s16(pixel ? (int16_t)pixel[c] : zero_point);
              const int16x8_t wc = vmovl_s8(vld1_s8(wt + 8 * c));
              acc_lo = vmlal_s16(acc_lo, vget_low_s16(wc), x);
              acc_hi = vmlal_s16(acc_hi, vget_high_s16(wc), x);
            }
          }
        }
        const int8x8_t y = ffem_neon_output8(ffem_neon_scale(acc_lo, &q_lo), ffem_neon_scale(acc_hi, &q_hi), &out);
        ffem_neon_store_partial8(output + (oy * g->output_width + ox) * co + o0, y, valid);
      }
    }
  }
}

#endif
