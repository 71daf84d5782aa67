// CFFEMKernels — the body of the global depthwise convolution NEON kernel (channel tile 16),
// shared by the AArch64 `neon` and the 32-bit `armv7neon` kernels.
//
// For each channel c, exactly as ffem_qs8_gdconv_minmax_ukernel_c1__scalar:
//   out[c] = requant_c(packed_bias[c] + Σ_{p < pixels} input[p][c] · w[c][p])
// Products are exact in int16 (`vmull_s8`) and summed in int32 (`vaddw_s16`);
// |acc| ≤ |packed_bias| + pixels·128·127 < 2^31 for pixels ≤ 2^16, as for the oracle.
//
// Packed weights (ffem_x8_pack_dwconv, cr 16, int8 taps, taps = pixels): per block of 16
// channels, 16 int32 biases, then `pixels` × 16 int8 weights. The last block reads and writes
// only the real channels.
#ifndef FFEM_QS8_GDCONV_C16_MULL_H
#define FFEM_QS8_GDCONV_C16_MULL_H

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

static inline void ffem_qs8_gdconv_c16_mull(size_t pixels, size_t channels, const int8_t *input,
                                            const void *packed_weights, int8_t *output,
                                            const ffem_qs8_requant_params *params) {
  const size_t block_bytes = 16 * sizeof(int32_t) + 16 * pixels;
  const ffem_neon_output out = ffem_neon_output_init(params->output_zero_point, params->output_min,
                                                     params->output_max);
  const int8_t *block = (const int8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += 16, block += block_bytes) {
    const size_t valid = channels - c0 < 16 ? channels - c0 : 16;
    int32x4_t acc[4];
    for (int j = 0; j < 4; j++) acc[j] = ffem_neon_load_s32_unaligned(block + 16 * j);
    const int8_t *w = block + 16 * sizeof(int32_t);
    for (size_t p = 0; p < pixels; p++) {
      const int8x16_t x = ffem_neon_load_partial16(input + p * channels + c0, valid, 0);
      const int8x16_t wp = vld1q_s8(w + 16 * p);
      const int16x8_t lo = vmull_s8(vget_low_s8(x), vget_low_s8(wp));
      const int16x8_t hi = vmull_s8(vget_high_s8(x), vget_high_s8(wp));
      acc[0] = vaddw_s16(acc[0], vget_low_s16(lo));
      acc[1] = vaddw_s16(acc[1], vget_high_s16(lo));
      acc[2] = vaddw_s16(acc[2], vget_low_s16(hi));
      acc[3] = vaddw_s16(acc[3], vget_high_s16(hi));
    }
    ffem_neon_requant4 q[4];
    ffem_neon_requant16_load(params, c0, valid, q);
    ffem_neon_requant16_store(output + c0, acc, q, &out, valid);
  }
}

#endif
