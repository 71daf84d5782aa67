// CFFEMKernels — ffem_qs8_vprelu_ukernel__avx2: per-channel PReLU, 8 channels per step.
// The sign of v = x − zp selects, per lane, the branch's operand (v or v·slope) and its
// requantization parameters, then one MultiplyByQuantizedMultiplier runs: each lane equals
// ffem_qs8_vprelu_ukernel__scalar; |v·slope| ≤ 255·255, exact.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "../common/partial-copy.h"

__attribute__((target("avx2"))) void ffem_qs8_vprelu_ukernel__avx2(size_t pixels, size_t channels, const int8_t *input,
                                                                    const int8_t *alpha, int8_t *output,
                                                                    const ffem_qs8_prelu_params *p) {
  const ffem_requant_avx2 positive =
      ffem_requant_prepare_avx2(_mm256_set1_epi32(p->positive_multiplier), _mm256_set1_epi32(p->positive_shift));
  const ffem_output_stage_avx2 stage = ffem_output_stage_avx2_make(p->output_zero_point, p->output_min, p->output_max);
  const __m256i input_zero_point = _mm256_set1_epi32(p->input_zero_point);
  for (size_t c0 = 0; c0 < channels; c0 += 8) {
    const size_t lanes = channels - c0 < 8 ? channels - c0 : 8;
    int32_t multiplier[8] = {0}, shift[8] = {0};
    int64_t alpha8 = 0;
    memcpy(multiplier, p->negative_multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, p->negative_shift + c0, lanes * sizeof(int32_t));
    memcpy(&alpha8, alpha + c0, lanes);
    const ffem_requant_avx2 negative = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)multiplier),
                                                                 _mm256_loadu_si256((const __m256i *)shift));
    const __m256i slope =
        _mm256_sub_epi32(_mm256_cvtepi8_epi32(_mm_cvtsi64_si128(alpha8)), _mm256_set1_epi32(p->alpha_zero_point));
    for (size_t i = 0; i < pixels; i++) {
      const size_t offset = i * channels + c0;
      int64_t x8 = 0;
      ffem_copy_partial(&x8, input + offset, lanes, 8);
      const __m256i v = _mm256_sub_epi32(_mm256_cvtepi8_epi32(_mm_cvtsi64_si128(x8)), input_zero_point);
      // One MultiplyByQuantizedMultiplier per lane, with the branch's operand and parameters.
      const __m256i is_negative = _mm256_cmpgt_epi32(_mm256_setzero_si256(), v);
      ffem_requant_avx2 r;
      r.multiplier = _mm256_blendv_epi8(positive.multiplier, negative.multiplier, is_negative);
      r.left = _mm256_blendv_epi8(positive.left, negative.left, is_negative);
      r.right = _mm256_blendv_epi8(positive.right, negative.right, is_negative);
      r.mask = _mm256_blendv_epi8(positive.mask, negative.mask, is_negative);
      r.threshold = _mm256_blendv_epi8(positive.threshold, negative.threshold, is_negative);
      const __m256i operand = _mm256_blendv_epi8(v, _mm256_mullo_epi32(v, slope), is_negative);
      const __m256i y = ffem_output_avx2(ffem_mbqm_avx2(operand, &r), &stage);
      const int64_t bytes = _mm_cvtsi128_si64(ffem_narrow_s32_to_s8_avx2(y));
      ffem_copy_partial(output + offset, &bytes, lanes, 8);
    }
  }
}
#endif
