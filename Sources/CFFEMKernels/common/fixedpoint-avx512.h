// CFFEMKernels — the numeric contract of ffem_fixedpoint.h on 16 int32 lanes (AVX-512). Internal.
//
// Lane i of every function equals the scalar primitive on lane i of its inputs, for every input.
#ifndef FFEM_FIXEDPOINT_AVX512_H
#define FFEM_FIXEDPOINT_AVX512_H
#if defined(__x86_64__)
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "ffem_qs8.h"

#define FFEM_TARGET_AVX512 \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline)) static inline

/// A requantization prepared for 16 channels, in the single-rounding form of the contract.
///
/// MultiplyByQuantizedMultiplier(x, M, shift) = RDBPOT(SRDHM(a, M), e), a = x·2^l (wrapping),
/// l = max(shift, 0), e = max(−shift, 0). With p = a·M (exact in int64):
///   SRDHM(a, M)  = ⌊(p + 2^30) / 2^31⌋                       (gemmlowp's nudge, then truncation,
///                                                              is this floor for either sign)
///   RDBPOT(y, e) = ⌊(y + 2^(e−1) − [y < 0]) / 2^e⌋  (e ≥ 1), y (e = 0)
/// and since ⌊(⌊u / 2^31⌋ + c) / 2^e⌋ = ⌊(u + c·2^31) / 2^(31+e)⌋ for integers u, c, the two
/// roundings are one floor of a 64-bit sum:
///   result = (p + K − [p < −2^30]·D) >> (31 + e)   (arithmetic shift)
/// with K = 2^30 + 2^(30+e), D = 2^31 for e ≥ 1 and K = 2^30, D = 0 for e = 0 ([y < 0] is
/// [p + 2^30 < 0]). SRDHM's one saturating case, a = M = INT32_MIN (p = 2^62), is p clamped to
/// 2^62 − 2^31, the largest other product being (2^31 − 1)^2: it then gives 2^31 − 1 as SRDHM does.
/// |p| ≤ 2^62 and K < 2^62 keep the sum inside int64. Even and odd int32 lanes are computed in
/// the two halves of 64-bit lanes (vpmuldq), so K, D and 31 + e are kept per 64-bit lane.
typedef struct ffem_requant_avx512 {
  __m512i multiplier;       ///< M in every int32 lane (vpmuldq reads the even ones)
  __m512i multiplier_odd;   ///< M of the odd lanes, moved to the low halves of the 64-bit lanes
  __m512i left;             ///< l = max(shift, 0) per int32 lane
  __m512i rounding_even, rounding_odd;      ///< K per 64-bit lane
  __m512i correction_even, correction_odd;  ///< D per 64-bit lane
  __m512i shift_even, shift_odd;            ///< 31 + e per 64-bit lane
} ffem_requant_avx512;

FFEM_TARGET_AVX512 ffem_requant_avx512 ffem_requant_prepare_avx512(__m512i multiplier, __m512i shift) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);  // e per int32 lane
  const __m512i right_even = _mm512_and_si512(right, _mm512_set1_epi64(0xFFFFFFFF));
  const __m512i right_odd = _mm512_srli_epi64(right, 32);
  ffem_requant_avx512 r;
  r.multiplier = multiplier;
  r.multiplier_odd = _mm512_srli_epi64(multiplier, 32);
  r.left = _mm512_max_epi32(shift, zero);
  const __m512i half = _mm512_set1_epi64(INT64_C(1) << 30), d = _mm512_set1_epi64(INT64_C(1) << 31);
  const __mmask8 even_rounds = _mm512_cmpneq_epi64_mask(right_even, zero);
  const __mmask8 odd_rounds = _mm512_cmpneq_epi64_mask(right_odd, zero);
  r.rounding_even = _mm512_mask_add_epi64(half, even_rounds, half, _mm512_sllv_epi64(half, right_even));
  r.rounding_odd = _mm512_mask_add_epi64(half, odd_rounds, half, _mm512_sllv_epi64(half, right_odd));
  r.correction_even = _mm512_maskz_mov_epi64(even_rounds, d);
  r.correction_odd = _mm512_maskz_mov_epi64(odd_rounds, d);
  r.shift_even = _mm512_add_epi64(right_even, _mm512_set1_epi64(31));
  r.shift_odd = _mm512_add_epi64(right_odd, _mm512_set1_epi64(31));
  return r;
}

/// One 64-bit lane group of ffem_mbqm_avx512: (min(p, 2^62 − 2^31) + K − [p < −2^30]·D) >> (31 + e).
FFEM_TARGET_AVX512 __m512i ffem_mbqm_half_avx512(__m512i p, __m512i rounding, __m512i correction, __m512i shift) {
  const __m512i clamped = _mm512_min_epi64(p, _mm512_set1_epi64((INT64_C(1) << 62) - (INT64_C(1) << 31)));
  const __mmask8 negative = _mm512_cmplt_epi64_mask(clamped, _mm512_set1_epi64(-(INT64_C(1) << 30)));
  const __m512i sum = _mm512_add_epi64(clamped, rounding);
  return _mm512_srav_epi64(_mm512_mask_sub_epi64(sum, negative, sum, correction), shift);
}

/// MultiplyByQuantizedMultiplier per lane (the left shift wraps: vpsllvd), single-rounding form above.
FFEM_TARGET_AVX512 __m512i ffem_mbqm_avx512(__m512i x, const ffem_requant_avx512 *r) {
  const __m512i a = _mm512_sllv_epi32(x, r->left);
  const __m512i even = ffem_mbqm_half_avx512(_mm512_mul_epi32(a, r->multiplier), r->rounding_even, r->correction_even,
                                             r->shift_even);
  const __m512i odd = ffem_mbqm_half_avx512(_mm512_mul_epi32(_mm512_srli_epi64(a, 32), r->multiplier_odd),
                                            r->rounding_odd, r->correction_odd, r->shift_odd);
  // Low halves: even lanes from `even`, odd lanes from `odd`.
  const __m512i pick = _mm512_setr_epi32(0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
  return _mm512_permutex2var_epi32(even, pick, odd);
}

/// ffem_mbqm_avx512 for channels whose every multiplier is ≥ 0 and every shift ≤ −1 (e ≥ 1: the
/// quantizer's multipliers for real scales below 1/2, which every depthwise layer has), with no
/// permute: the even lanes' sums are shifted by 31 + e (the result in the low int32 of each
/// 64-bit lane), the odd lanes' by 31 + e − 32 = e − 1, which leaves ⌊sum / 2^(31+e)⌋ in the high
/// int32 (|sum| < 2^62, so the result fits); one vpblendmd merges them.
typedef struct ffem_requant_right_avx512 {
  __m512i multiplier, multiplier_odd;  ///< M (vpmuldq reads the even lanes); M of the odd lanes moved down
  __m512i rounding_even, rounding_odd;  ///< K = 2^30 + 2^(30+e) per 64-bit lane
  __m512i shift_even, shift_odd;        ///< 31 + e and e − 1 per 64-bit lane
} ffem_requant_right_avx512;

FFEM_TARGET_AVX512 ffem_requant_right_avx512 ffem_requant_right_prepare_avx512(__m512i multiplier, __m512i shift) {
  const __m512i right = _mm512_sub_epi32(_mm512_setzero_si512(), shift);  // e ≥ 1 per int32 lane
  const __m512i right_even = _mm512_and_si512(right, _mm512_set1_epi64(0xFFFFFFFF));
  const __m512i right_odd = _mm512_srli_epi64(right, 32);
  const __m512i half = _mm512_set1_epi64(INT64_C(1) << 30);
  ffem_requant_right_avx512 r;
  r.multiplier = multiplier;
  r.multiplier_odd = _mm512_srli_epi64(multiplier, 32);
  r.rounding_even = _mm512_add_epi64(half, _mm512_sllv_epi64(half, right_even));
  r.rounding_odd = _mm512_add_epi64(half, _mm512_sllv_epi64(half, right_odd));
  r.shift_even = _mm512_add_epi64(right_even, _mm512_set1_epi64(31));
  r.shift_odd = _mm512_sub_epi64(right_odd, _mm512_set1_epi64(1));
  return r;
}

/// (p + K − [p < −2^30]·2^31) per 64-bit lane, before the shift.
FFEM_TARGET_AVX512 __m512i ffem_mbqm_right_sum_avx512(__m512i p, __m512i rounding) {
  const __mmask8 negative = _mm512_cmplt_epi64_mask(p, _mm512_set1_epi64(-(INT64_C(1) << 30)));
  const __m512i sum = _mm512_add_epi64(p, rounding);
  return _mm512_mask_sub_epi64(sum, negative, sum, _mm512_set1_epi64(INT64_C(1) << 31));
}

FFEM_TARGET_AVX512 __m512i ffem_mbqm_right_avx512(__m512i x, const ffem_requant_right_avx512 *r) {
  const __m512i even = ffem_mbqm_right_sum_avx512(_mm512_mul_epi32(x, r->multiplier), r->rounding_even);
  const __m512i odd = ffem_mbqm_right_sum_avx512(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), r->multiplier_odd),
                                                 r->rounding_odd);
  return _mm512_mask_blend_epi32(0xAAAA, _mm512_srav_epi64(even, r->shift_even), _mm512_srav_epi64(odd, r->shift_odd));
}

/// Whether ffem_mbqm_right_avx512 applies to every channel of `params`.
static inline int ffem_requant_is_right_shift(const ffem_qs8_requant_params *params, size_t channels) {
  for (size_t c = 0; c < channels; c++) {
    if (params->multiplier[c] < 0 || params->shift[c] > -1) return 0;
  }
  return 1;
}

/// The output stage: clamp(y, min − zp, max − zp) + zp.
typedef struct ffem_output_stage_avx512 {
  __m512i low, high, zero_point;
} ffem_output_stage_avx512;

FFEM_TARGET_AVX512 ffem_output_stage_avx512 ffem_output_stage_avx512_make(int32_t zero_point, int32_t output_min,
                                                                          int32_t output_max) {
  ffem_output_stage_avx512 s;
  s.low = _mm512_set1_epi32(output_min - zero_point);
  s.high = _mm512_set1_epi32(output_max - zero_point);
  s.zero_point = _mm512_set1_epi32(zero_point);
  return s;
}

/// Output stage and narrowing of 16 lanes to 16 int8 bytes (vpmovdb; the values already fit).
FFEM_TARGET_AVX512 __m128i ffem_output_avx512(__m512i y, const ffem_output_stage_avx512 *s) {
  const __m512i clamped = _mm512_min_epi32(_mm512_max_epi32(y, s->low), s->high);
  return _mm512_cvtepi32_epi8(_mm512_add_epi32(clamped, s->zero_point));
}

/// The output stage of two vectors at once, in int16: clamp(y + zp, min, max) for 32 lanes.
/// vpackssdw saturates y to int16 first and vpaddsw saturates the sum; either saturation only
/// happens when |y + zp| > 32767 − 128, far outside [min, max] ⊂ [−128, 127], where the exact
/// and the saturated value clamp alike. Lanes come out in vpackssdw order: per 128-bit lane k,
/// lanes 4k…4k+3 of `a` then of `b` (callers whose channels are not in that order permute).
typedef struct ffem_output_stage16_avx512 {
  __m512i zero_point, low, high;  ///< int16 broadcasts
} ffem_output_stage16_avx512;

FFEM_TARGET_AVX512 ffem_output_stage16_avx512 ffem_output_stage16_avx512_make(int32_t zero_point, int32_t output_min,
                                                                              int32_t output_max) {
  ffem_output_stage16_avx512 s;
  s.zero_point = _mm512_set1_epi16((int16_t)zero_point);
  s.low = _mm512_set1_epi16((int16_t)output_min);
  s.high = _mm512_set1_epi16((int16_t)output_max);
  return s;
}

/// 32 int16 lanes of clamp(y + zp, min, max) from two vectors of MBQM results (vpackssdw order).
FFEM_TARGET_AVX512 __m512i ffem_output_pair16_avx512(__m512i a, __m512i b, const ffem_output_stage16_avx512 *s) {
  const __m512i sum = _mm512_adds_epi16(_mm512_packs_epi32(a, b), s->zero_point);
  return _mm512_min_epi16(_mm512_max_epi16(sum, s->low), s->high);
}

/// The output stage of 64 consecutive lanes (four vectors y[q] of 16, in order): clamp(y + zp,
/// min, max) as 64 bytes in lane order. vpackssdw, vpaddsw and vpacksswb saturate only values that
/// clamp alike; they leave dword 4k + q holding lanes 16q + 4k … + 3, which one vpermd puts back.
typedef struct ffem_output_stage64_avx512 {
  __m512i zero_point;  ///< int16 broadcast
  __m512i low, high;   ///< int8 broadcasts of min and max
  __m512i order;       ///< output dword 4q + k ← dword 4k + q
} ffem_output_stage64_avx512;

FFEM_TARGET_AVX512 ffem_output_stage64_avx512 ffem_output_stage64_avx512_make(int32_t zero_point, int32_t output_min,
                                                                              int32_t output_max) {
  ffem_output_stage64_avx512 s;
  s.zero_point = _mm512_set1_epi16((int16_t)zero_point);
  s.low = _mm512_set1_epi8((char)output_min);
  s.high = _mm512_set1_epi8((char)output_max);
  s.order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  return s;
}

/// The 64 output bytes in pack order (dword 4k + q: lanes 4k … 4k + 3 of y[q]), for kernels whose
/// accumulators already hold lanes in the order that makes it channel order.
FFEM_TARGET_AVX512 __m512i ffem_output64_packed_avx512(const __m512i y[4], const ffem_output_stage64_avx512 *s) {
  const __m512i words01 = _mm512_adds_epi16(_mm512_packs_epi32(y[0], y[1]), s->zero_point);
  const __m512i words23 = _mm512_adds_epi16(_mm512_packs_epi32(y[2], y[3]), s->zero_point);
  return _mm512_min_epi8(_mm512_max_epi8(_mm512_packs_epi16(words01, words23), s->low), s->high);
}

FFEM_TARGET_AVX512 __m512i ffem_output64_avx512(const __m512i y[4], const ffem_output_stage64_avx512 *s) {
  return _mm512_permutexvar_epi32(s->order, ffem_output64_packed_avx512(y, s));
}

#endif
#endif
