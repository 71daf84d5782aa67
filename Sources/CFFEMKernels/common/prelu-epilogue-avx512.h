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

/// The parts shared by every channel.
typedef struct ffem_prelu_shared_avx512 {
  __m512i conv_low, conv_high;  ///< the kernel's clamp, in y units (min − zp_conv, max − zp_conv)
  __m512i input_offset;         ///< zp_conv − zp_in
  ffem_requant_avx512 positive;
  ffem_output_stage_avx512 stage;  ///< the PReLU's output stage
} ffem_prelu_shared_avx512;

/// The parts of 16 channels.
typedef struct ffem_prelu_channels_avx512 {
  __m512i slope;  ///< alpha[c] − alpha_zero_point
  ffem_requant_avx512 negative;
} ffem_prelu_channels_avx512;

FFEM_TARGET_AVX512 ffem_prelu_shared_avx512 ffem_prelu_shared_avx512_make(const ffem_qs8_requant_params *conv,
                                                                          const ffem_qs8_prelu_params *p) {
  ffem_prelu_shared_avx512 s;
  s.conv_low = _mm512_set1_epi32(conv->output_min - conv->output_zero_point);
  s.conv_high = _mm512_set1_epi32(conv->output_max - conv->output_zero_point);
  s.input_offset = _mm512_set1_epi32(conv->output_zero_point - p->input_zero_point);
  s.positive = ffem_requant_prepare_avx512(_mm512_set1_epi32(p->positive_multiplier), _mm512_set1_epi32(p->positive_shift));
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

FFEM_TARGET_AVX512 ffem_prelu_channels_avx512 ffem_prelu_channels_avx512_make(const ffem_prelu_raw_avx512 *raw) {
  ffem_prelu_channels_avx512 c;
  c.slope = raw->slope;
  c.negative = ffem_requant_prepare_avx512(raw->multiplier, raw->shift);
  return c;
}

/// The fused output of 16 lanes: PReLU(q) as 16 int8, from the kernel's MBQM result y.
FFEM_TARGET_AVX512 __m128i ffem_prelu_output_avx512(__m512i y, const ffem_prelu_shared_avx512 *s,
                                                   const ffem_prelu_channels_avx512 *c) {
  const __m512i v = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(y, s->conv_low), s->conv_high), s->input_offset);
  const __mmask16 is_negative = _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512());
  const __m512i y_positive = ffem_mbqm_avx512(v, &s->positive);
  const __m512i y_negative = ffem_mbqm_avx512(_mm512_mullo_epi32(v, c->slope), &c->negative);
  return ffem_output_avx512(_mm512_mask_mov_epi32(y_positive, is_negative, y_negative), &s->stage);
}

#endif
#endif
