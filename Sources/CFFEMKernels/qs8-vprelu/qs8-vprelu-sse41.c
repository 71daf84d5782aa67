// CFFEMKernels — ffem_qs8_vprelu_ukernel__sse41: per-channel PReLU, 4 channels per step.
// Both branches are computed for every lane and the sign of x − zp selects one, so each lane
// equals ffem_qs8_vprelu_ukernel__scalar; |v·slope| ≤ 255·255, exact.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-sse41.h"
#include "../common/partial-copy.h"

__attribute__((target("sse4.1"))) void ffem_qs8_vprelu_ukernel__sse41(size_t pixels, size_t channels,
                                                                       const int8_t *input, const int8_t *alpha,
                                                                       int8_t *output, const ffem_qs8_prelu_params *p) {
  const ffem_requant_sse41 positive =
      ffem_requant_prepare_sse41(_mm_set1_epi32(p->positive_multiplier), _mm_set1_epi32(p->positive_shift));
  const ffem_output_stage_sse41 stage = ffem_output_stage_sse41_make(p->output_zero_point, p->output_min, p->output_max);
  const __m128i input_zero_point = _mm_set1_epi32(p->input_zero_point);
  for (size_t c0 = 0; c0 < channels; c0 += 4) {
    const size_t lanes = channels - c0 < 4 ? channels - c0 : 4;
    int32_t multiplier[4] = {0}, shift[4] = {0}, alpha4 = 0;
    memcpy(multiplier, p->negative_multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, p->negative_shift + c0, lanes * sizeof(int32_t));
    memcpy(&alpha4, alpha + c0, lanes);
    const ffem_requant_sse41 negative = ffem_requant_prepare_sse41(_mm_loadu_si128((const __m128i *)multiplier),
                                                                   _mm_loadu_si128((const __m128i *)shift));
    const __m128i slope = _mm_sub_epi32(_mm_cvtepi8_epi32(_mm_cvtsi32_si128(alpha4)), _mm_set1_epi32(p->alpha_zero_point));
    for (size_t i = 0; i < pixels; i++) {
      const size_t offset = i * channels + c0;
      int32_t x4 = 0;
      ffem_copy_partial(&x4, input + offset, lanes, 4);
      const __m128i v = _mm_sub_epi32(_mm_cvtepi8_epi32(_mm_cvtsi32_si128(x4)), input_zero_point);
      const __m128i up = ffem_mbqm_sse41(v, &positive);
      const __m128i down = ffem_mbqm_sse41(_mm_mullo_epi32(v, slope), &negative);
      const __m128i is_negative = _mm_cmpgt_epi32(_mm_setzero_si128(), v);
      const __m128i y = ffem_output_sse41(_mm_blendv_epi8(up, down, is_negative), &stage);
      const __m128i words = _mm_packs_epi32(y, y);
      const int32_t bytes = _mm_cvtsi128_si32(_mm_packs_epi16(words, words));
      ffem_copy_partial(output + offset, &bytes, lanes, 4);
    }
  }
}
#endif
