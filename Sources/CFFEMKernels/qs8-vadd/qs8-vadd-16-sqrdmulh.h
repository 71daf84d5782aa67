// CFFEMKernels — the body of the residual-add NEON kernel (16 elements per step), shared by the
// AArch64 `neon` and the 32-bit `armv7neon` kernels.
//
// Lane for lane what ffem_qs8_vadd_minmax_ukernel__scalar computes (TFLite ADD, ffem_qs8_add_params):
//   a' = MultiplyByQuantizedMultiplier((a − a_zp) · 2^left_shift, a_multiplier, a_shift), b' likewise
//   out = clamp(zp_out + MultiplyByQuantizedMultiplier(a' + b', output_multiplier, output_shift), min, max)
// a − a_zp is formed exactly in int16 (`vsubl_s8`), widened, shifted left with wrap (`vshlq_s32`,
// as ffem_shift_left_wrapping_s32) and scaled by the primitives of common/fixedpoint-neon.h; the
// sum a' + b' is an int32 addition as in the oracle.
#ifndef FFEM_QS8_VADD_16_SQRDMULH_H
#define FFEM_QS8_VADD_16_SQRDMULH_H

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

/// The requantized sum of 4 lanes given a − a_zp and b − b_zp as int16.
static inline int32x4_t ffem_vadd_lanes4(int16x4_t a, int16x4_t b, int32x4_t left, const ffem_neon_requant4 *qa,
                                         const ffem_neon_requant4 *qb, const ffem_neon_requant4 *qo) {
  const int32x4_t sa = ffem_neon_scale(vshlq_s32(vmovl_s16(a), left), qa);
  const int32x4_t sb = ffem_neon_scale(vshlq_s32(vmovl_s16(b), left), qb);
  return ffem_neon_scale(vaddq_s32(sa, sb), qo);
}

static inline void ffem_qs8_vadd_16_sqrdmulh(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                             const ffem_qs8_add_params *p) {
  const ffem_neon_output out = ffem_neon_output_init(p->output_zero_point, p->output_min, p->output_max);
  const ffem_neon_requant4 qa = ffem_neon_requant4_dup(p->a_multiplier, p->a_shift);
  const ffem_neon_requant4 qb = ffem_neon_requant4_dup(p->b_multiplier, p->b_shift);
  const ffem_neon_requant4 qo = ffem_neon_requant4_dup(p->output_multiplier, p->output_shift);
  const int32x4_t left = vdupq_n_s32(p->left_shift);
  const int8x8_t a_zero_point = vdup_n_s8((int8_t)p->a_zero_point);
  const int8x8_t b_zero_point = vdup_n_s8((int8_t)p->b_zero_point);
  for (size_t i = 0; i < count; i += 16) {
    const size_t valid = count - i < 16 ? count - i : 16;
    const int8x16_t va = ffem_neon_load_partial16(a + i, valid, 0);
    const int8x16_t vb = ffem_neon_load_partial16(b + i, valid, 0);
    const int16x8_t a_lo = vsubl_s8(vget_low_s8(va), a_zero_point), a_hi = vsubl_s8(vget_high_s8(va), a_zero_point);
    const int16x8_t b_lo = vsubl_s8(vget_low_s8(vb), b_zero_point), b_hi = vsubl_s8(vget_high_s8(vb), b_zero_point);
    const int8x8_t lo = ffem_neon_output8(
        ffem_vadd_lanes4(vget_low_s16(a_lo), vget_low_s16(b_lo), left, &qa, &qb, &qo),
        ffem_vadd_lanes4(vget_high_s16(a_lo), vget_high_s16(b_lo), left, &qa, &qb, &qo), &out);
    const int8x8_t hi = ffem_neon_output8(
        ffem_vadd_lanes4(vget_low_s16(a_hi), vget_low_s16(b_hi), left, &qa, &qb, &qo),
        ffem_vadd_lanes4(vget_high_s16(a_hi), vget_high_s16(b_hi), left, &qa, &qb, &qo), &out);
    ffem_neon_store_partial16(output + i, vcombine_s8(lo, hi), valid);
  }
}

#endif
