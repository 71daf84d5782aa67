// CFFEMKernels — the body of the per-channel PReLU NEON kernel (8 channels per step), shared by
// the AArch64 `neon` and the 32-bit `armv7neon` kernels.
//
// Lane for lane what ffem_qs8_vprelu_ukernel__scalar computes (TFLite PRELU, ffem_qs8_prelu_params):
//   v = x − input_zp   (exact in int16, `vsubl_s8`; v ∈ [−255, 255])
//   v ≥ 0: zp_out + MultiplyByQuantizedMultiplier(v, positive_multiplier, positive_shift)
//   v < 0: zp_out + MultiplyByQuantizedMultiplier(v · (alpha[c] − alpha_zp), negative_multiplier[c], negative_shift[c])
//   clamped to [output_min, output_max]. v · slope is exact in int32 (`vmull_s16`, |v·slope| < 2^16).
// Both branches are computed and the sign of v selects one (`vbslq_s32`). Channel blocks are the
// outer loop so that alpha and the per-channel constants are loaded once per block; the last
// block reads and writes only the real channels.
#ifndef FFEM_QS8_VPRELU_C8_SQRDMULH_H
#define FFEM_QS8_VPRELU_C8_SQRDMULH_H

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

/// 4 lanes: v ≥ 0 ? scale(v, positive) : scale(v · slope, negative).
static inline int32x4_t ffem_vprelu_lanes4(int16x4_t v, int16x4_t slope, const ffem_neon_requant4 *positive,
                                           const ffem_neon_requant4 *negative) {
  const int32x4_t v32 = vmovl_s16(v);
  const int32x4_t up = ffem_neon_scale(v32, positive);
  const int32x4_t down = ffem_neon_scale(vmull_s16(v, slope), negative);
  return vbslq_s32(vcgeq_s32(v32, vdupq_n_s32(0)), up, down);
}

static inline void ffem_qs8_vprelu_c8_sqrdmulh(size_t pixels, size_t channels, const int8_t *input,
                                               const int8_t *alpha, int8_t *output, const ffem_qs8_prelu_params *p) {
  const ffem_neon_output out = ffem_neon_output_init(p->output_zero_point, p->output_min, p->output_max);
  const ffem_neon_requant4 positive = ffem_neon_requant4_dup(p->positive_multiplier, p->positive_shift);
  const int8x8_t input_zero_point = vdup_n_s8((int8_t)p->input_zero_point);
  const int8x8_t alpha_zero_point = vdup_n_s8((int8_t)p->alpha_zero_point);
  for (size_t c0 = 0; c0 < channels; c0 += 8) {
    const size_t valid = channels - c0 < 8 ? channels - c0 : 8;
    const int16x8_t slope = vsubl_s8(ffem_neon_load_partial8(alpha + c0, valid, 0), alpha_zero_point);
    const ffem_neon_requant4 negative_lo =
        ffem_neon_requant4_load_partial(p->negative_multiplier + c0, p->negative_shift + c0, valid);
    const ffem_neon_requant4 negative_hi =
        valid > 4 ? ffem_neon_requant4_load_partial(p->negative_multiplier + c0 + 4, p->negative_shift + c0 + 4,
                                                    valid - 4)
                  : negative_lo;
    for (size_t i = 0; i < pixels; i++) {
      const int8x8_t x = ffem_neon_load_partial8(input + i * channels + c0, valid, 0);
      const int16x8_t v = vsubl_s8(x, input_zero_point);
      const int8x8_t y = ffem_neon_output8(
          ffem_vprelu_lanes4(vget_low_s16(v), vget_low_s16(slope), &positive, &negative_lo),
          ffem_vprelu_lanes4(vget_high_s16(v), vget_high_s16(slope), &positive, &negative_hi), &out);
      ffem_neon_store_partial8(output + i * channels + c0, y, valid);
    }
  }
}

#endif
