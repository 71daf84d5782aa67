// CFFEMKernels — the body of the global average pooling NEON kernel (16 channels per step),
// shared by the AArch64 `neon` and the 32-bit `armv7neon` kernels.
//
// For each channel c, exactly as ffem_qs8_gavgpool_minmax_ukernel__scalar:
//   acc = Σ_p input[p][c] − pixels · input_zero_point   (int32; |acc| ≤ 255·pixels < 2^31)
//   out[c] = clamp(zp_out + MultiplyByQuantizedMultiplier(acc, multiplier, shift), min, max)
// Inputs are sign-extended (`vmovl_s8`) and added into int32 lanes (`vaddw_s16`).
#ifndef FFEM_QS8_GAVGPOOL_C16_ADDW_H
#define FFEM_QS8_GAVGPOOL_C16_ADDW_H

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

static inline void ffem_qs8_gavgpool_c16_addw(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                              const ffem_qs8_gavgpool_params *p) {
  const ffem_neon_output out = ffem_neon_output_init(p->output_zero_point, p->output_min, p->output_max);
  ffem_neon_requant4 q[4];
  q[0] = ffem_neon_requant4_dup(p->multiplier, p->shift);
  q[1] = q[2] = q[3] = q[0];
  const int32x4_t start = vdupq_n_s32(-(int32_t)pixels * p->input_zero_point);
  for (size_t c0 = 0; c0 < channels; c0 += 16) {
    const size_t valid = channels - c0 < 16 ? channels - c0 : 16;
    int32x4_t acc[4] = {start, start, start, start};
    for (size_t i = 0; i < pixels; i++) {
      const int8x16_t x = ffem_neon_load_partial16(input + i * channels + c0, valid, 0);
      const int16x8_t lo = vmovl_s8(vget_low_s8(x));
      const int16x8_t hi = vmovl_s8(vget_high_s8(x));
      acc[0] = vaddw_s16(acc[0], vget_low_s16(lo));
      acc[1] = vaddw_s16(acc[1], vget_high_s16(lo));
      acc[2] = vaddw_s16(acc[2], vget_low_s16(hi));
      acc[3] = vaddw_s16(acc[3], vget_high_s16(hi));
    }
    ffem_neon_requant16_store(output + c0, acc, q, &out, valid);
  }
}

#endif
