// CFFEMKernels — the numeric contract of ffem_fixedpoint.h on 4 int32 lanes (SSE4.1). Internal.
//
// Lane i of every function equals the scalar primitive on lane i of its inputs, for every input.
#ifndef FFEM_FIXEDPOINT_SSE41_H
#define FFEM_FIXEDPOINT_SSE41_H
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>

#define FFEM_TARGET_SSE41 __attribute__((target("sse4.1"), always_inline)) static inline

/// ffem_srdhm_s32 per lane: pmuldq on even and odd lanes gives the exact 64-bit products; bits
/// 31..62 of (a·b + 2^30) are floor((a·b + 2^30)/2^31) = round_half_up(a·b/2^31). The only
/// product whose result does not fit, INT32_MIN·INT32_MIN, yields 0x80000000, a value no other
/// pair can produce (the smallest true result is −2^31 + 1), so those lanes are flipped to INT32_MAX.
FFEM_TARGET_SSE41 __m128i ffem_srdhm_sse41(__m128i a, __m128i b) {
  const __m128i nudge = _mm_set1_epi64x(INT64_C(1) << 30);
  const __m128i even = _mm_srli_epi64(_mm_add_epi64(_mm_mul_epi32(a, b), nudge), 31);
  const __m128i odd_product = _mm_mul_epi32(_mm_srli_epi64(a, 32), _mm_srli_epi64(b, 32));
  const __m128i odd = _mm_slli_epi64(_mm_add_epi64(odd_product, nudge), 1);
  const __m128i result = _mm_blend_epi16(even, odd, 0xCC);
  return _mm_xor_si128(result, _mm_cmpeq_epi32(result, _mm_set1_epi32(INT32_MIN)));
}

/// 2^p per lane for p ∈ [0, 31], through the float exponent field: 2^31 converts to the
/// "integer indefinite" 0x80000000, which is exactly 2^31 read as uint32.
FFEM_TARGET_SSE41 __m128i ffem_pow2_u32_sse41(__m128i p) {
  return _mm_cvttps_epi32(_mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(p, _mm_set1_epi32(127)), 23)));
}

/// A requantization prepared for 4 channels: the per-lane constants derived from (multiplier, shift).
typedef struct ffem_requant_sse41 {
  __m128i multiplier;
  __m128i left_factor;   ///< 2^max(shift, 0): x·2^left wraps like ffem_shift_left_wrapping_s32 (pmulld)
  __m128i right_factor;  ///< 2^(31 − e) as uint32, e = max(−shift, 0)
  __m128i half;          ///< 2^e >> 1 (0 for e = 0)
} ffem_requant_sse41;

FFEM_TARGET_SSE41 ffem_requant_sse41 ffem_requant_prepare_sse41(__m128i multiplier, __m128i shift) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i left = _mm_max_epi32(shift, zero);
  const __m128i right = _mm_max_epi32(_mm_sub_epi32(zero, shift), zero);
  ffem_requant_sse41 r;
  r.multiplier = multiplier;
  r.left_factor = ffem_pow2_u32_sse41(left);
  r.right_factor = ffem_pow2_u32_sse41(_mm_sub_epi32(_mm_set1_epi32(31), right));
  r.half = _mm_srli_epi32(ffem_pow2_u32_sse41(right), 1);
  return r;
}

/// ffem_rdbpot_s32 per lane with per-lane exponents e: with u = |y| (as uint32, ≤ 2^31),
/// round-half-away(y / 2^e) = sign(y)·floor((u + 2^e/2) / 2^e), and the variable shift is
/// (u + half)·2^(31−e) >> 31 on 64-bit products (pmuludq), u + half < 2^32.
FFEM_TARGET_SSE41 __m128i ffem_rdbpot_sse41(__m128i y, const ffem_requant_sse41 *r) {
  const __m128i u = _mm_add_epi32(_mm_abs_epi32(y), r->half);
  const __m128i even = _mm_srli_epi64(_mm_mul_epu32(u, r->right_factor), 31);
  const __m128i odd = _mm_slli_epi64(_mm_mul_epu32(_mm_srli_epi64(u, 32), _mm_srli_epi64(r->right_factor, 32)), 1);
  const __m128i magnitude = _mm_blend_epi16(even, odd, 0xCC);
  return _mm_sign_epi32(magnitude, _mm_or_si128(y, _mm_set1_epi32(1)));
}

/// MultiplyByQuantizedMultiplier per lane.
FFEM_TARGET_SSE41 __m128i ffem_mbqm_sse41(__m128i x, const ffem_requant_sse41 *r) {
  return ffem_rdbpot_sse41(ffem_srdhm_sse41(_mm_mullo_epi32(x, r->left_factor), r->multiplier), r);
}

/// The output stage: clamp(y, min − zp, max − zp) + zp, equal to clamp(y + zp, min, max) without overflow.
typedef struct ffem_output_stage_sse41 {
  __m128i low, high, zero_point;
} ffem_output_stage_sse41;

FFEM_TARGET_SSE41 ffem_output_stage_sse41 ffem_output_stage_sse41_make(int32_t zero_point, int32_t output_min,
                                                                       int32_t output_max) {
  ffem_output_stage_sse41 s;
  s.low = _mm_set1_epi32(output_min - zero_point);
  s.high = _mm_set1_epi32(output_max - zero_point);
  s.zero_point = _mm_set1_epi32(zero_point);
  return s;
}

FFEM_TARGET_SSE41 __m128i ffem_output_sse41(__m128i y, const ffem_output_stage_sse41 *s) {
  return _mm_add_epi32(_mm_min_epi32(_mm_max_epi32(y, s->low), s->high), s->zero_point);
}

#endif
#endif
