// CFFEMKernels — the numeric contract of ffem_fixedpoint.h on 8 int32 lanes (AVX2). Internal.
//
// Lane i of every function equals the scalar primitive on lane i of its inputs, for every input.
#ifndef FFEM_FIXEDPOINT_AVX2_H
#define FFEM_FIXEDPOINT_AVX2_H
#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>

#define FFEM_TARGET_AVX2 __attribute__((target("avx2"), always_inline)) static inline

/// ffem_srdhm_s32 per lane (vpmuldq on even and odd lanes; see fixedpoint-sse41.h for the proof
/// that 0x80000000 marks exactly the saturating lanes).
FFEM_TARGET_AVX2 __m256i ffem_srdhm_avx2(__m256i a, __m256i b) {
  const __m256i nudge = _mm256_set1_epi64x(INT64_C(1) << 30);
  const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(a, b), nudge), 31);
  const __m256i odd_product = _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
  const __m256i odd = _mm256_slli_epi64(_mm256_add_epi64(odd_product, nudge), 1);
  const __m256i result = _mm256_blend_epi32(even, odd, 0xAA);
  return _mm256_xor_si256(result, _mm256_cmpeq_epi32(result, _mm256_set1_epi32(INT32_MIN)));
}

/// A requantization prepared for 8 channels.
typedef struct ffem_requant_avx2 {
  __m256i multiplier;
  __m256i left;       ///< max(shift, 0)
  __m256i right;      ///< e = max(−shift, 0)
  __m256i mask;       ///< 2^e − 1
  __m256i threshold;  ///< (2^e − 1) >> 1
} ffem_requant_avx2;

FFEM_TARGET_AVX2 ffem_requant_avx2 ffem_requant_prepare_avx2(__m256i multiplier, __m256i shift) {
  const __m256i zero = _mm256_setzero_si256();
  ffem_requant_avx2 r;
  r.multiplier = multiplier;
  r.left = _mm256_max_epi32(shift, zero);
  r.right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  r.mask = _mm256_sub_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), r.right), _mm256_set1_epi32(1));
  r.threshold = _mm256_srli_epi32(r.mask, 1);
  return r;
}

/// ffem_rdbpot_s32 per lane, gemmlowp's form: (y >> e) + (remainder > threshold + (y < 0)).
FFEM_TARGET_AVX2 __m256i ffem_rdbpot_avx2(__m256i y, const ffem_requant_avx2 *r) {
  const __m256i remainder = _mm256_and_si256(y, r->mask);
  const __m256i threshold = _mm256_sub_epi32(r->threshold, _mm256_cmpgt_epi32(_mm256_setzero_si256(), y));
  return _mm256_sub_epi32(_mm256_srav_epi32(y, r->right), _mm256_cmpgt_epi32(remainder, threshold));
}

/// MultiplyByQuantizedMultiplier per lane (the left shift wraps: vpsllvd).
FFEM_TARGET_AVX2 __m256i ffem_mbqm_avx2(__m256i x, const ffem_requant_avx2 *r) {
  return ffem_rdbpot_avx2(ffem_srdhm_avx2(_mm256_sllv_epi32(x, r->left), r->multiplier), r);
}

/// The output stage: clamp(y, min − zp, max − zp) + zp.
typedef struct ffem_output_stage_avx2 {
  __m256i low, high, zero_point;
} ffem_output_stage_avx2;

FFEM_TARGET_AVX2 ffem_output_stage_avx2 ffem_output_stage_avx2_make(int32_t zero_point, int32_t output_min,
                                                                    int32_t output_max) {
  ffem_output_stage_avx2 s;
  s.low = _mm256_set1_epi32(output_min - zero_point);
  s.high = _mm256_set1_epi32(output_max - zero_point);
  s.zero_point = _mm256_set1_epi32(zero_point);
  return s;
}

FFEM_TARGET_AVX2 __m256i ffem_output_avx2(__m256i y, const ffem_output_stage_avx2 *s) {
  return _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(y, s->low), s->high), s->zero_point);
}

/// 8 int32 lanes already in [−128, 127] to 8 int8 bytes, in order.
FFEM_TARGET_AVX2 __m128i ffem_narrow_s32_to_s8_avx2(__m256i v) {
  const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  return _mm_packs_epi16(words, words);
}

#endif
#endif
