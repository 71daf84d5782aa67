// CFFEMKernels — the numeric contract of ffem_fixedpoint.h on 16 int32 lanes (AVX-512). Internal.
//
// Lane i of every function equals the scalar primitive on lane i of its inputs, for every input.
#ifndef FFEM_FIXEDPOINT_AVX512_H
#define FFEM_FIXEDPOINT_AVX512_H
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>

#define FFEM_TARGET_AVX512 \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline)) static inline

/// ffem_srdhm_s32 per lane (vpmuldq on even and odd lanes; INT32_MIN·INT32_MIN → INT32_MAX).
FFEM_TARGET_AVX512 __m512i ffem_srdhm_avx512(__m512i a, __m512i b) {
  const __m512i nudge = _mm512_set1_epi64(INT64_C(1) << 30);
  const __m512i even = _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epi32(a, b), nudge), 31);
  const __m512i odd_product = _mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32));
  const __m512i odd = _mm512_slli_epi64(_mm512_add_epi64(odd_product, nudge), 1);
  const __m512i result = _mm512_mask_blend_epi32(0xAAAA, even, odd);
  const __mmask16 saturated = _mm512_cmpeq_epi32_mask(result, _mm512_set1_epi32(INT32_MIN));
  return _mm512_mask_mov_epi32(result, saturated, _mm512_set1_epi32(INT32_MAX));
}

/// A requantization prepared for 16 channels.
typedef struct ffem_requant_avx512 {
  __m512i multiplier;
  __m512i left;       ///< max(shift, 0)
  __m512i right;      ///< e = max(−shift, 0)
  __m512i mask;       ///< 2^e − 1
  __m512i threshold;  ///< (2^e − 1) >> 1
} ffem_requant_avx512;

FFEM_TARGET_AVX512 ffem_requant_avx512 ffem_requant_prepare_avx512(__m512i multiplier, __m512i shift) {
  const __m512i zero = _mm512_setzero_si512();
  ffem_requant_avx512 r;
  r.multiplier = multiplier;
  r.left = _mm512_max_epi32(shift, zero);
  r.right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);
  r.mask = _mm512_sub_epi32(_mm512_sllv_epi32(_mm512_set1_epi32(1), r.right), _mm512_set1_epi32(1));
  r.threshold = _mm512_srli_epi32(r.mask, 1);
  return r;
}

/// ffem_rdbpot_s32 per lane: (y >> e) + (remainder > threshold + (y < 0)).
FFEM_TARGET_AVX512 __m512i ffem_rdbpot_avx512(__m512i y, const ffem_requant_avx512 *r) {
  const __m512i remainder = _mm512_and_si512(y, r->mask);
  const __mmask16 negative = _mm512_cmplt_epi32_mask(y, _mm512_setzero_si512());
  const __m512i threshold = _mm512_mask_add_epi32(r->threshold, negative, r->threshold, _mm512_set1_epi32(1));
  const __mmask16 round_up = _mm512_cmpgt_epi32_mask(remainder, threshold);
  const __m512i shifted = _mm512_srav_epi32(y, r->right);
  return _mm512_mask_add_epi32(shifted, round_up, shifted, _mm512_set1_epi32(1));
}

/// MultiplyByQuantizedMultiplier per lane (the left shift wraps: vpsllvd).
FFEM_TARGET_AVX512 __m512i ffem_mbqm_avx512(__m512i x, const ffem_requant_avx512 *r) {
  return ffem_rdbpot_avx512(ffem_srdhm_avx512(_mm512_sllv_epi32(x, r->left), r->multiplier), r);
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

#endif
#endif
