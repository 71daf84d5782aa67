// CFFEMKernels — the requantization primitives of DESIGN.md §7 on four NEON lanes.
//
// Every NEON kernel (AArch64 and armv7) requantizes through these functions, so that the rounding
// argument below is made once. Each lane computes exactly what the scalar contract computes:
//
//   out = clamp(zp_out + RDBPOT(SRDHM(acc · 2^max(shift,0), M), max(−shift,0)), act_min, act_max)
//
// SRDHM(a, b) — saturating rounding doubling high multiply. As a real number, a·b / 2^31 rounded
//   to the nearest integer, ties toward +∞; the single overflowing case a = b = INT32_MIN saturates
//   to INT32_MAX. `vqrdmulhq_s32` computes (2ab + 2^31) >> 32 with that very saturation, which is
//   the same integer for every input pair, so it is used as is.
//
// RDBPOT(x, e) — rounding divide by 2^e, ties away from zero (gemmlowp's RoundingDivideByPOT).
//   `vrshlq_s32(x, −e)` computes floor((x + 2^(e−1)) / 2^e): ties toward +∞. The two differ only on
//   negative exact ties (x = q·2^e + 2^(e−1), x < 0, e > 0), where away-from-zero wants q, not q+1.
//   Fix-up: for x < 0 and e > 0, round x − 1 instead (saturating, so INT32_MIN stays put).
//   Write x = q·2^e + r with 0 ≤ r < 2^e. Then for r ≥ 1, x − 1 has remainder r − 1 and
//   vrshl gives q + [r − 1 ≥ 2^(e−1)] = q + [r > 2^(e−1)], which is the away-from-zero rule for a
//   negative x; for r = 0, x − 1 = (q−1)·2^e + (2^e − 1) rounds to q − 1 + 1 = q (e ≥ 1); for
//   x = INT32_MIN the saturating subtraction leaves x, whose r is 0, so the result is exact.
//   The mask "x < 0 and e > 0" is the sign bit of (x AND −e): −e has its sign bit set iff e > 0.
//
// Output stage: the 32-bit result is narrowed with saturation to 16 bits, the zero point is added
// with 16-bit saturation, then narrowed to 8 bits and clamped. Saturation cannot change the
// outcome: a value beyond ±32767 stays beyond the int8 range after adding |zp| ≤ 128, and
// act_min/act_max lie in [−128, 127], so the clamp gives the same byte as the scalar int32 path.
#ifndef FFEM_FIXEDPOINT_NEON_H
#define FFEM_FIXEDPOINT_NEON_H

#if defined(__aarch64__) || (defined(__arm__) && defined(__ARM_NEON))
#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>

#include "ffem_qs8.h"

/// Per-channel requantization constants prepared for NEON (four output channels).
///   left  = max(shift, 0)            — applied as acc · 2^left (vshlq_s32 by a non-negative count)
///   right = −max(−shift, 0) ≤ 0      — the negated RDBPOT exponent, as vrshlq_s32 wants it
typedef struct ffem_neon_requant4 {
  int32x4_t multiplier;
  int32x4_t left;
  int32x4_t right;
} ffem_neon_requant4;

/// Loads the constants of channels c..c+3 from the per-channel multiplier and shift arrays.
static inline ffem_neon_requant4 ffem_neon_requant4_load(const int32_t *multiplier, const int32_t *shift) {
  const int32x4_t s = vld1q_s32(shift);
  const int32x4_t zero = vdupq_n_s32(0);
  ffem_neon_requant4 q;
  q.multiplier = vld1q_s32(multiplier);
  q.left = vmaxq_s32(s, zero);
  q.right = vminq_s32(s, zero);
  return q;
}

/// The same constants for one multiplier/shift shared by all lanes (per-tensor ops).
static inline ffem_neon_requant4 ffem_neon_requant4_dup(int32_t multiplier, int32_t shift) {
  ffem_neon_requant4 q;
  q.multiplier = vdupq_n_s32(multiplier);
  q.left = vdupq_n_s32(shift > 0 ? shift : 0);
  q.right = vdupq_n_s32(shift < 0 ? shift : 0);
  return q;
}

/// RDBPOT(x, e) with neg_e = −e ≤ 0: ties away from zero (see the fix-up argument above).
static inline int32x4_t ffem_neon_rdbpot(int32x4_t x, int32x4_t neg_e) {
  const int32x4_t fixup = vshrq_n_s32(vandq_s32(x, neg_e), 31);
  return vrshlq_s32(vqaddq_s32(x, fixup), neg_e);
}

/// RDBPOT(SRDHM(acc · 2^left, M), right): the requantized value before the zero point.
static inline int32x4_t ffem_neon_scale(int32x4_t acc, const ffem_neon_requant4 *q) {
  const int32x4_t shifted = vshlq_s32(acc, q->left);
  return ffem_neon_rdbpot(vqrdmulhq_s32(shifted, q->multiplier), q->right);
}

/// Constants of `valid` ∈ [0, 4] channels; lanes past `valid` get multiplier 0 and shift 0 and
/// nothing past the arrays' end is read (the tail of a channel block).
static inline ffem_neon_requant4 ffem_neon_requant4_load_partial(const int32_t *multiplier, const int32_t *shift,
                                                                 size_t valid) {
  if (valid >= 4) return ffem_neon_requant4_load(multiplier, shift);
  int32_t m[4] = {0, 0, 0, 0};
  int32_t s[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < valid; i++) {
    m[i] = multiplier[i];
    s[i] = shift[i];
  }
  return ffem_neon_requant4_load(m, s);
}

/// The output stage of DESIGN.md §7 shared by every kernel of one op call.
typedef struct ffem_neon_output {
  int16x8_t zero_point;
  int8x8_t min, max;
} ffem_neon_output;

static inline ffem_neon_output ffem_neon_output_init(int32_t zero_point, int32_t output_min, int32_t output_max) {
  ffem_neon_output o;
  o.zero_point = vdupq_n_s16((int16_t)zero_point);
  o.min = vdup_n_s8((int8_t)output_min);
  o.max = vdup_n_s8((int8_t)output_max);
  return o;
}

/// clamp(zp + y, min, max) for 8 scaled lanes (y from ffem_neon_scale), narrowed with saturation
/// (see "Output stage" above for why saturation cannot change a byte).
static inline int8x8_t ffem_neon_output8(int32x4_t lo, int32x4_t hi, const ffem_neon_output *o) {
  const int16x8_t s16 = vcombine_s16(vqmovn_s32(lo), vqmovn_s32(hi));
  const int8x8_t s8 = vqmovn_s16(vqaddq_s16(s16, o->zero_point));
  return vmin_s8(vmax_s8(s8, o->min), o->max);
}

/// Stores the first `count` ∈ [0, 8] bytes of v.
static inline void ffem_neon_store_partial8(int8_t *dst, int8x8_t v, size_t count) {
  if (count >= 8) {
    vst1_s8(dst, v);
    return;
  }
  int8_t lanes[8];
  vst1_s8(lanes, v);
  for (size_t i = 0; i < count; i++) dst[i] = lanes[i];
}

/// Loads `count` ∈ [0, 16] bytes into the low lanes, the rest filled with `fill`, reading nothing
/// past src + count.
static inline int8x16_t ffem_neon_load_partial16(const int8_t *src, size_t count, int8_t fill) {
  if (count >= 16) return vld1q_s8(src);
  int8_t lanes[16];
  for (size_t i = 0; i < 16; i++) lanes[i] = i < count ? src[i] : fill;
  return vld1q_s8(lanes);
}

/// Loads `count` ∈ [0, 8] bytes into the low lanes, the rest filled with `fill`.
static inline int8x8_t ffem_neon_load_partial8(const int8_t *src, size_t count, int8_t fill) {
  if (count >= 8) return vld1_s8(src);
  int8_t lanes[8];
  for (size_t i = 0; i < 8; i++) lanes[i] = i < count ? src[i] : fill;
  return vld1_s8(lanes);
}

/// Stores the first `count` ∈ [0, 16] bytes of v.
static inline void ffem_neon_store_partial16(int8_t *dst, int8x16_t v, size_t count) {
  if (count >= 16) {
    vst1q_s8(dst, v);
    return;
  }
  ffem_neon_store_partial8(dst, vget_low_s8(v), count);
  if (count > 8) ffem_neon_store_partial8(dst + 8, vget_high_s8(v), count - 8);
}

/// Four int32 lanes from 16 bytes at any alignment (little-endian, as memcpy would give).
static inline int32x4_t ffem_neon_load_s32_unaligned(const void *src) {
  return vreinterpretq_s32_s8(vld1q_s8((const int8_t *)src));
}

/// Requantization constants of the 16 channels c0.. (valid of them real).
static inline void ffem_neon_requant16_load(const ffem_qs8_requant_params *params, size_t c0, size_t valid,
                                       ffem_neon_requant4 q[4]) {
  q[0] = ffem_neon_requant4_load_partial(params->multiplier + c0, params->shift + c0, valid);
  for (size_t j = 1; j < 4; j++) {
    q[j] = valid > 4 * j ? ffem_neon_requant4_load_partial(params->multiplier + c0 + 4 * j, params->shift + c0 + 4 * j,
                                                           valid - 4 * j)
                         : q[0];
  }
}

/// Requantizes 16 accumulators and stores the first `valid` bytes at dst.
static inline void ffem_neon_requant16_store(int8_t *dst, const int32x4_t acc[4], const ffem_neon_requant4 q[4],
                                        const ffem_neon_output *out, size_t valid) {
  const int8x8_t lo = ffem_neon_output8(ffem_neon_scale(acc[0], &q[0]), ffem_neon_scale(acc[1], &q[1]), out);
  const int8x8_t hi = ffem_neon_output8(ffem_neon_scale(acc[2], &q[2]), ffem_neon_scale(acc[3], &q[3]), out);
  ffem_neon_store_partial16(dst, vcombine_s8(lo, hi), valid);
}

#endif
#endif
