// CFFEMKernels — a per-channel PReLU fused into the output stage of an AVX-512 kernel. Internal.
//
// Contract: the bytes equal the kernel's own int8 output q passed through
// ffem_qs8_vprelu_ukernel__scalar (ffem_qs8_prelu_epilogue in ffem_qs8.h). From the kernel's
// MultiplyByQuantizedMultiplier result y: q − zp_conv = clamp(y, min − zp_conv, max − zp_conv), so
// the PReLU's v = q − zp_in = clamp(y, …) + (zp_conv − zp_in) without narrowing to int8; then both
// branches run on every lane (v ≥ 0: MBQM(v, positive); v < 0: MBQM(v·slope[c], negative[c])) and
// the sign of v picks one, as ffem_qs8_vprelu_ukernel__avx512vnni does. |v·slope| ≤ 255·255.
#ifndef FFEM_PRELU_EPILOGUE_AVX512_H
#define FFEM_PRELU_EPILOGUE_AVX512_H
#if defined(__x86_64__)
#include "ffem_qs8.h"
#include "fixedpoint-avx512.h"

// MARK: - PReLU branches in 32-bit lanes (the "narrow" path)
//
// PReLU's operands are small: the positive branch multiplies v ∈ [0, 255], the negative one
// x = v·slope with |x| ≤ 255·255 < 2^16. When a branch's multiplier M is in [0, 2^31) and its
// shift ≤ 0 (the positive branch also takes left shifts up to 14, see below),
// MultiplyByQuantizedMultiplier(x, M, −e) is, by
// the single-rounding form of fixedpoint-avx512.h, ⌊(x·M + K − [x·M < −2^30]·D) / 2^(31+e)⌋, and
// x·M can be taken apart into int32 products whose floors recombine exactly
// (⌊(a·2^j + b)/2^j⌋ = a + ⌊b/2^j⌋ for integers a, b):
//   positive, v ∈ [0, 255], M = Mh·2^16 + Ml:  ⌊v·M / 2^16⌋ = v·Mh + ⌊v·Ml / 2^16⌋  (< 2^24)
//   negative, x = v·slope with v ∈ [−255, 255]: x·M = v·N with N = slope·M (|N| < 2^39, one
//       int64 product per channel, once per call), N = N1·2^22 + N0 (0 ≤ N0 < 2^22, |N1| < 2^17):
//       T = ⌊v·N / 2^22⌋ = v·N1 + ⌊v·N0 / 2^22⌋  (|T| < 2^26), and x·M < −2^30 ⟺ T < −256.
// K = 2^30 + 2^(30+e) and D = 2^31 (e ≥ 1; K = 2^30, D = 0 for e = 0) are multiples of 2^16
// and 2^22, so the result is ⌊(⌊x·M / 2^j⌋ + (K − nD)/2^j) / 2^(31+e−j)⌋ with int32 sums. Large
// e give 0 whatever x (positive: v·M + K < 2^(31+e) once e ≥ 10; negative: 0 < x·M + K − nD <
// 2^(31+e) once e ≥ 18), so e is capped at 10 and 18, which keeps every sum below 2^31. Checked
// against ffem_multiply_by_quantized_multiplier for every v, every shift 0…−31 and 2·10^6 random
// multipliers (edges included) while writing this, and by the kernels' testers.

/// The positive branch, prepared for a broadcast (M, shift) with M ≥ 0 and shift ≤ 14. A left
/// shift l = shift > 0 (PReLU output scale below the input's: most PReLUs of a real model) has
/// e = 0: MBQM(v, M, l) = SRDHM(v·2^l, M) = ⌊(v·M + 2^(30−l)) / 2^(31−l)⌋ (v·2^l < 2^22: no wrap,
/// no saturation), i.e. rounding 2^(14−l) and shift 15 − l on ⌊v·M / 2^16⌋.
typedef struct ffem_prelu_positive_narrow {
  __m512i high, low;  ///< Mh, Ml
  __m512i rounding;   ///< (K / 2^16) with e capped at 10; 2^(14−l) for a left shift l
  __m512i shift;      ///< 15 + e (capped); 15 − l
} ffem_prelu_positive_narrow;

FFEM_TARGET_AVX512 ffem_prelu_positive_narrow ffem_prelu_positive_narrow_make(int32_t multiplier, int32_t shift) {
  ffem_prelu_positive_narrow r;
  r.high = _mm512_set1_epi32(multiplier >> 16);
  r.low = _mm512_set1_epi32(multiplier & 0xFFFF);
  if (shift > 0) {
    r.rounding = _mm512_set1_epi32(1 << (14 - shift));
    r.shift = _mm512_set1_epi32(15 - shift);
  } else {
    const int32_t e = shift < -10 ? 10 : -shift;
    r.rounding = _mm512_set1_epi32((1 << 14) + (e > 0 ? 1 << (14 + e) : 0));
    r.shift = _mm512_set1_epi32(15 + e);
  }
  return r;
}

/// MultiplyByQuantizedMultiplier(v, M, shift) for lanes with v ∈ [0, 255] (other lanes: unspecified).
FFEM_TARGET_AVX512 __m512i ffem_prelu_positive_narrow_apply(__m512i v, const ffem_prelu_positive_narrow *r) {
  const __m512i floor_16 = _mm512_add_epi32(_mm512_mullo_epi32(v, r->high), _mm512_srli_epi32(_mm512_mullo_epi32(v, r->low), 16));
  return _mm512_srlv_epi32(_mm512_add_epi32(floor_16, r->rounding), r->shift);
}

/// The negative branch of 16 channels, each with M ∈ [0, 2^31) and shift ≤ 0, slope folded in.
typedef struct ffem_prelu_negative_narrow {
  __m512i n0, n1;      ///< slope·M = N1·2^22 + N0
  __m512i rounding;    ///< K / 2^22, e capped at 18
  __m512i correction;  ///< D / 2^22
  __m512i shift;       ///< 9 + e (capped)
} ffem_prelu_negative_narrow;

FFEM_TARGET_AVX512 ffem_prelu_negative_narrow ffem_prelu_negative_narrow_make(__m512i multiplier, __m512i shift,
                                                                              __m512i slope) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i e = _mm512_min_epi32(_mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero), _mm512_set1_epi32(18));
  const __mmask16 rounds = _mm512_cmpgt_epi32_mask(e, zero);
  // N = slope·M per channel in 64-bit lanes (even and odd channels), split at bit 22.
  const __m512i n_even = _mm512_mul_epi32(slope, multiplier);
  const __m512i n_odd = _mm512_mul_epi32(_mm512_srli_epi64(slope, 32), _mm512_srli_epi64(multiplier, 32));
  const __m512i low22 = _mm512_set1_epi64((INT64_C(1) << 22) - 1);
  ffem_prelu_negative_narrow r;
  r.n0 = _mm512_mask_blend_epi32(0xAAAA, _mm512_and_si512(n_even, low22), _mm512_slli_epi64(_mm512_and_si512(n_odd, low22), 32));
  r.n1 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srai_epi64(n_even, 22), _mm512_slli_epi64(_mm512_srai_epi64(n_odd, 22), 32));
  r.rounding = _mm512_mask_add_epi32(_mm512_set1_epi32(1 << 8), rounds, _mm512_set1_epi32(1 << 8),
                                     _mm512_sllv_epi32(_mm512_set1_epi32(1 << 8), e));
  r.correction = _mm512_maskz_mov_epi32(rounds, _mm512_set1_epi32(1 << 9));
  r.shift = _mm512_add_epi32(e, _mm512_set1_epi32(9));
  return r;
}

/// MultiplyByQuantizedMultiplier(v·slope[c], M[c], shift[c]) for lanes with |v| ≤ 255.
FFEM_TARGET_AVX512 __m512i ffem_prelu_negative_narrow_apply(__m512i v, const ffem_prelu_negative_narrow *r) {
  const __m512i low = _mm512_srai_epi32(_mm512_mullo_epi32(v, r->n0), 22);
  const __m512i floor_22 = _mm512_add_epi32(_mm512_mullo_epi32(v, r->n1), low);
  const __mmask16 is_negative = _mm512_cmplt_epi32_mask(floor_22, _mm512_set1_epi32(-256));
  const __m512i sum = _mm512_add_epi32(floor_22, r->rounding);
  return _mm512_srav_epi32(_mm512_mask_sub_epi32(sum, is_negative, sum, r->correction), r->shift);
}

/// Whether a PReLU's parameters allow the narrow path: every multiplier in [0, 2^31), the
/// positive shift ≤ 14 and every negative shift ≤ 0.
static inline int ffem_prelu_is_narrow(const ffem_qs8_prelu_params *p, size_t channels) {
  if (p->positive_multiplier < 0 || p->positive_shift > 14) return 0;
  for (size_t c = 0; c < channels; c++) {
    if (p->negative_multiplier[c] < 0 || p->negative_shift[c] > 0) return 0;
  }
  return 1;
}

/// The parts shared by every channel. `narrow`: the int32-lane branches (ffem_prelu_is_narrow).
typedef struct ffem_prelu_shared_avx512 {
  __m512i conv_low, conv_high;  ///< the kernel's clamp, in y units (min − zp_conv, max − zp_conv)
  __m512i input_offset;         ///< zp_conv − zp_in
  ffem_requant_avx512 positive;
  ffem_prelu_positive_narrow positive_narrow;
  ffem_output_stage_avx512 stage;  ///< the PReLU's output stage
} ffem_prelu_shared_avx512;

/// The parts of 16 channels.
typedef struct ffem_prelu_channels_avx512 {
  __m512i slope;  ///< alpha[c] − alpha_zero_point
  ffem_requant_avx512 negative;
  ffem_prelu_negative_narrow negative_narrow;
} ffem_prelu_channels_avx512;

FFEM_TARGET_AVX512 ffem_prelu_shared_avx512 ffem_prelu_shared_avx512_make(const int narrow, const ffem_qs8_requant_params *conv,
                                                                          const ffem_qs8_prelu_params *p) {
  ffem_prelu_shared_avx512 s;
  s.conv_low = _mm512_set1_epi32(conv->output_min - conv->output_zero_point);
  s.conv_high = _mm512_set1_epi32(conv->output_max - conv->output_zero_point);
  s.input_offset = _mm512_set1_epi32(conv->output_zero_point - p->input_zero_point);
  if (narrow) {
    s.positive_narrow = ffem_prelu_positive_narrow_make(p->positive_multiplier, p->positive_shift);
  } else {
    s.positive = ffem_requant_prepare_avx512(_mm512_set1_epi32(p->positive_multiplier), _mm512_set1_epi32(p->positive_shift));
  }
  s.stage = ffem_output_stage_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  return s;
}

/// The raw per-channel values of channels c0 … c0 + 15 (lanes outside `mask`: 0).
typedef struct ffem_prelu_raw_avx512 {
  __m512i slope, multiplier, shift;
} ffem_prelu_raw_avx512;

FFEM_TARGET_AVX512 ffem_prelu_raw_avx512 ffem_prelu_raw_avx512_load(const ffem_qs8_prelu_epilogue *e, size_t c0,
                                                                     __mmask16 mask) {
  ffem_prelu_raw_avx512 r;
  r.slope = _mm512_maskz_sub_epi32(mask, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, e->alpha + c0)),
                                   _mm512_set1_epi32(e->params->alpha_zero_point));
  r.multiplier = _mm512_maskz_loadu_epi32(mask, e->params->negative_multiplier + c0);
  r.shift = _mm512_maskz_loadu_epi32(mask, e->params->negative_shift + c0);
  return r;
}

/// Lane i takes lane index[i] of the concatenation (a | b) (vpermt2d), for kernels whose
/// accumulators hold channels out of order.
FFEM_TARGET_AVX512 ffem_prelu_raw_avx512 ffem_prelu_raw_avx512_permute(const ffem_prelu_raw_avx512 *a, __m512i index,
                                                                        const ffem_prelu_raw_avx512 *b) {
  ffem_prelu_raw_avx512 r;
  r.slope = _mm512_permutex2var_epi32(a->slope, index, b->slope);
  r.multiplier = _mm512_permutex2var_epi32(a->multiplier, index, b->multiplier);
  r.shift = _mm512_permutex2var_epi32(a->shift, index, b->shift);
  return r;
}

FFEM_TARGET_AVX512 ffem_prelu_channels_avx512 ffem_prelu_channels_avx512_make(const int narrow,
                                                                              const ffem_prelu_raw_avx512 *raw) {
  ffem_prelu_channels_avx512 c;
  c.slope = raw->slope;
  if (narrow) {
    c.negative_narrow = ffem_prelu_negative_narrow_make(raw->multiplier, raw->shift, raw->slope);
  } else {
    c.negative = ffem_requant_prepare_avx512(raw->multiplier, raw->shift);
  }
  return c;
}

/// The fused output of 16 lanes: PReLU(q) as 16 int8, from the kernel's MBQM result y.
FFEM_TARGET_AVX512 __m128i ffem_prelu_output_avx512(const int narrow, __m512i y, const ffem_prelu_shared_avx512 *s,
                                                   const ffem_prelu_channels_avx512 *c) {
  const __m512i v = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(y, s->conv_low), s->conv_high), s->input_offset);
  const __mmask16 is_negative = _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512());
  const __m512i y_positive = narrow ? ffem_prelu_positive_narrow_apply(v, &s->positive_narrow) : ffem_mbqm_avx512(v, &s->positive);
  const __m512i y_negative = narrow ? ffem_prelu_negative_narrow_apply(v, &c->negative_narrow)
                                    : ffem_mbqm_avx512(_mm512_mullo_epi32(v, c->slope), &c->negative);
  return ffem_output_avx512(_mm512_mask_mov_epi32(y_positive, is_negative, y_negative), &s->stage);
}

#endif
#endif
