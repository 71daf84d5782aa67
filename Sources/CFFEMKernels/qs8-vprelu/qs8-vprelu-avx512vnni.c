// CFFEMKernels — ffem_qs8_vprelu_ukernel__avx512vnni: per-channel PReLU, 16 channels per step (masked tail).
// Both branches (v and v·slope, each with its requantization) run on every lane and the sign of
// v = x − zp picks one: each lane equals
// ffem_qs8_vprelu_ukernel__scalar; |v·slope| ≤ 255·255, exact.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/fixedpoint-avx512.h"

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_qs8_vprelu_ukernel__avx512vnni(
    size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha, int8_t *output,
    const ffem_qs8_prelu_params *p) {
  const ffem_requant_avx512 positive =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->positive_multiplier), _mm512_set1_epi32(p->positive_shift));
  const ffem_output_stage_avx512 stage = ffem_output_stage_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  const __m512i input_zero_point = _mm512_set1_epi32(p->input_zero_point);
  for (size_t c0 = 0; c0 < channels; c0 += 16) {
    const size_t lanes = channels - c0 < 16 ? channels - c0 : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    const ffem_requant_avx512 negative = ffem_requant_prepare_avx512(
        _mm512_maskz_loadu_epi32(mask, p->negative_multiplier + c0), _mm512_maskz_loadu_epi32(mask, p->negative_shift + c0));
    const __m512i slope =
        _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, alpha + c0)), _mm512_set1_epi32(p->alpha_zero_point));
    for (size_t i = 0; i < pixels; i++) {
      const size_t offset = i * channels + c0;
      const __m512i v = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, input + offset)), input_zero_point);
      // Both branches on every lane, then the sign of v picks one.
      const __mmask16 is_negative = _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512());
      const __m512i y_positive = ffem_mbqm_avx512(v, &positive);
      const __m512i y_negative = ffem_mbqm_avx512(_mm512_mullo_epi32(v, slope), &negative);
      const __m512i y = _mm512_mask_mov_epi32(y_positive, is_negative, y_negative);
      _mm_mask_storeu_epi8(output + offset, mask, ffem_output_avx512(y, &stage));
    }
  }
}
#endif
