// CFFEMKernels — ffem_qs8_vprelu_ukernel__avx512vnni: per-channel PReLU, 16 channels per step (masked tail).
// Both branches (v and v·slope, each with its requantization) run on every lane and the sign of
// v = x − zp picks one: each lane equals ffem_qs8_vprelu_ukernel__scalar; |v·slope| ≤ 255·255,
// exact. When every multiplier is in [0, 2^31), the positive shift ≤ 14 and every negative shift
// ≤ 0 (ffem_prelu_is_narrow: all 33 PReLUs of the ORL MobileFaceNet), the branches run in int32
// lanes (common/prelu-epilogue-avx512.h); otherwise on the 64-bit products of ffem_mbqm_avx512.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/prelu-epilogue-avx512.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// The kernel for one choice of arithmetic (`narrow` is a constant at both calls).
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void vprelu(const int narrow, size_t pixels,
                                                                           size_t channels, const int8_t *input,
                                                                           const int8_t *alpha, int8_t *output,
                                                                           const ffem_qs8_prelu_params *p) {
  ffem_requant_avx512 positive;
  ffem_prelu_positive_narrow positive_narrow;
  if (narrow) {
    positive_narrow = ffem_prelu_positive_narrow_make(p->positive_multiplier, p->positive_shift);
  } else {
    positive = ffem_requant_prepare_avx512(_mm512_set1_epi32(p->positive_multiplier), _mm512_set1_epi32(p->positive_shift));
  }
  const ffem_output_stage_avx512 stage = ffem_output_stage_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  const __m512i input_zero_point = _mm512_set1_epi32(p->input_zero_point);
  for (size_t c0 = 0; c0 < channels; c0 += 16) {
    const size_t lanes = channels - c0 < 16 ? channels - c0 : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    const __m512i multiplier = _mm512_maskz_loadu_epi32(mask, p->negative_multiplier + c0);
    const __m512i shift = _mm512_maskz_loadu_epi32(mask, p->negative_shift + c0);
    const __m512i slope =
        _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, alpha + c0)), _mm512_set1_epi32(p->alpha_zero_point));
    ffem_requant_avx512 negative;
    ffem_prelu_negative_narrow negative_narrow;
    if (narrow) {
      negative_narrow = ffem_prelu_negative_narrow_make(multiplier, shift, slope);
    } else {
      negative = ffem_requant_prepare_avx512(multiplier, shift);
    }
    for (size_t i = 0; i < pixels; i++) {
      const size_t offset = i * channels + c0;
      const __m512i v = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, input + offset)), input_zero_point);
      const __mmask16 is_negative = _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512());
      const __m512i y_positive = narrow ? ffem_prelu_positive_narrow_apply(v, &positive_narrow) : ffem_mbqm_avx512(v, &positive);
      const __m512i y_negative = narrow ? ffem_prelu_negative_narrow_apply(v, &negative_narrow)
                                        : ffem_mbqm_avx512(_mm512_mullo_epi32(v, slope), &negative);
      const __m512i y = _mm512_mask_mov_epi32(y_positive, is_negative, y_negative);
      _mm_mask_storeu_epi8(output + offset, mask, ffem_output_avx512(y, &stage));
    }
  }
}

TARGET_AVX512VNNI void ffem_qs8_vprelu_ukernel__avx512vnni(size_t pixels, size_t channels, const int8_t *input,
                                                           const int8_t *alpha, int8_t *output,
                                                           const ffem_qs8_prelu_params *p) {
  if (ffem_prelu_is_narrow(p, channels)) {
    vprelu(1, pixels, channels, input, alpha, output, p);
  } else {
    vprelu(0, pixels, channels, input, alpha, output, p);
  }
}
#endif
