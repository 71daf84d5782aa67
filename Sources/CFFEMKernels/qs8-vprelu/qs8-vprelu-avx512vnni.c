// CFFEMKernels — ffem_qs8_vprelu_ukernel__avx512vnni: per-channel PReLU (masked channel tail).
// Both branches (v and v·slope, each with its requantization) run on every lane and the sign of
// v = x − zp picks one: each lane equals ffem_qs8_vprelu_ukernel__scalar; |v·slope| ≤ 255·255,
// exact. When every multiplier is in [0, 2^31), the positive shift ≤ 14 and every negative shift
// ≤ 0 (ffem_prelu_is_narrow: all 33 PReLUs of the ORL MobileFaceNet), the branches run in int32
// lanes (common/prelu-epilogue-avx512.h), 64 channels per step; otherwise on the 64-bit products of
// ffem_mbqm_avx512, 16 channels per step.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/prelu-epilogue-avx512.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// The general path, 16 channels per step: both branches on the 64-bit products of ffem_mbqm_avx512.
TARGET_AVX512VNNI static void vprelu_general(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                             int8_t *output, const ffem_qs8_prelu_params *p) {
  const ffem_requant_avx512 positive =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->positive_multiplier), _mm512_set1_epi32(p->positive_shift));
  const ffem_output_stage_avx512 stage = ffem_output_stage_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  const __m512i input_zero_point = _mm512_set1_epi32(p->input_zero_point);
  for (size_t c0 = 0; c0 < channels; c0 += 16) {
    const size_t lanes = channels - c0 < 16 ? channels - c0 : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    const ffem_requant_avx512 negative = ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask, p->negative_multiplier + c0),
                                                                     _mm512_maskz_loadu_epi32(mask, p->negative_shift + c0));
    const __m512i slope =
        _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, alpha + c0)), _mm512_set1_epi32(p->alpha_zero_point));
    for (size_t i = 0; i < pixels; i++) {
      const size_t offset = i * channels + c0;
      const __m512i v = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, input + offset)), input_zero_point);
      const __mmask16 is_negative = _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512());
      const __m512i y = _mm512_mask_mov_epi32(ffem_mbqm_avx512(v, &positive), is_negative,
                                              ffem_mbqm_avx512(_mm512_mullo_epi32(v, slope), &negative));
      _mm_mask_storeu_epi8(output + offset, mask, ffem_output_avx512(y, &stage));
    }
  }
}

/// The narrow path, 64 channels per step: four groups q of 16 channels (natural order) through
/// the int32-lane branches, then one output stage for all 64 (ffem_output64_avx512) and one 64-byte
/// store, instead of four vpmovdb and 16-byte stores.
TARGET_AVX512VNNI static void vprelu_narrow_c64(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                                int8_t *output, const ffem_qs8_prelu_params *p) {
  const ffem_prelu_positive_narrow positive = ffem_prelu_positive_narrow_make(p->positive_multiplier, p->positive_shift);
  const __m512i input_zero_point = _mm512_set1_epi32(p->input_zero_point);
  const ffem_output_stage64_avx512 stage = ffem_output_stage64_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 64) {
    const size_t lanes = channels - c0 < 64 ? channels - c0 : 64;
    const __mmask64 mask = lanes == 64 ? ~(__mmask64)0 : (((__mmask64)1 << lanes) - 1);
    __mmask16 group_mask[4];
    ffem_prelu_negative_narrow negative[4];
    for (size_t q = 0; q < 4; q++) {
      group_mask[q] = (__mmask16)(mask >> (16 * q));
      const size_t c = c0 + 16 * q;
      // Groups wholly past the channels read nothing (c may be past the arrays' end).
      const __mmask16 m = group_mask[q];
      const __m512i multiplier = m ? _mm512_maskz_loadu_epi32(m, p->negative_multiplier + c) : _mm512_setzero_si512();
      const __m512i shift = m ? _mm512_maskz_loadu_epi32(m, p->negative_shift + c) : _mm512_setzero_si512();
      const __m512i slope = m ? _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, alpha + c)),
                                                 _mm512_set1_epi32(p->alpha_zero_point))
                              : _mm512_setzero_si512();
      negative[q] = ffem_prelu_negative_narrow_make(multiplier, shift, slope);
    }
    for (size_t i = 0; i < pixels; i++) {
      const size_t offset = i * channels + c0;
      __m512i y[4];
      for (size_t q = 0; q < 4; q++) {
        const __m128i bytes = group_mask[q] ? _mm_maskz_loadu_epi8(group_mask[q], input + offset + 16 * q) : _mm_setzero_si128();
        const __m512i v = _mm512_sub_epi32(_mm512_cvtepi8_epi32(bytes), input_zero_point);
        const __mmask16 is_negative = _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512());
        y[q] = _mm512_mask_mov_epi32(ffem_prelu_positive_narrow_apply(v, &positive), is_negative,
                                     ffem_prelu_negative_narrow_apply(v, &negative[q]));
      }
      _mm512_mask_storeu_epi8(output + offset, mask, ffem_output64_avx512(y, &stage));
    }
  }
}

TARGET_AVX512VNNI void ffem_qs8_vprelu_ukernel__avx512vnni(size_t pixels, size_t channels, const int8_t *input,
                                                           const int8_t *alpha, int8_t *output,
                                                           const ffem_qs8_prelu_params *p) {
  if (ffem_prelu_is_narrow(p, channels)) {
    vprelu_narrow_c64(pixels, channels, input, alpha, output, p);
  } else {
    vprelu_general(pixels, channels, input, alpha, output, p);
  }
}
#endif
