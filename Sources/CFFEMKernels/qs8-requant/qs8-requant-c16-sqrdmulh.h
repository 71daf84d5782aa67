// CFFEMKernels — the body of the requantization NEON kernel (16 channels per step), shared by
// the AArch64 `neon` and the 32-bit `armv7neon` kernels.
//
// output[i][c] = clamp(zp + MultiplyByQuantizedMultiplier(input[i][c], multiplier[c], shift[c]),
//                      output_min, output_max) — lane for lane what ffem_qs8_requant_ukernel__scalar
// computes (the rounding argument is in common/fixedpoint-neon.h). The last block of a row reads
// and writes only the real channels.
#ifndef FFEM_QS8_REQUANT_C16_SQRDMULH_H
#define FFEM_QS8_REQUANT_C16_SQRDMULH_H

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

static inline void ffem_qs8_requant_c16_neon(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                             const ffem_qs8_requant_params *params) {
  const ffem_neon_output out = ffem_neon_output_init(params->output_zero_point, params->output_min,
                                                     params->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 16) {
    const size_t valid = channels - c0 < 16 ? channels - c0 : 16;
    ffem_neon_requant4 q[4];
    ffem_neon_requant16_load(params, c0, valid, q);
    for (size_t i = 0; i < rows; i++) {
      const int32_t *src = input + i * channels + c0;
      int32x4_t acc[4];
      if (valid == 16) {
        for (int j = 0; j < 4; j++) acc[j] = vld1q_s32(src + 4 * j);
      } else {
        int32_t lanes[16] = {0};
        for (size_t l = 0; l < valid; l++) lanes[l] = src[l];
        for (int j = 0; j < 4; j++) acc[j] = vld1q_s32(lanes + 4 * j);
      }
      ffem_neon_requant16_store(output + i * channels + c0, acc, q, &out, valid);
    }
  }
}

#endif
