// CFFEMKernels — ffem_qs8_vadd_minmax_ukernel__avx2: TFLite ADD on 8 int8 per step.
// Each lane computes exactly ffem_qs8_vadd_minmax_ukernel__scalar (wrapping vpsllvd left shift,
// then three MultiplyByQuantizedMultiplier per lane).
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "../common/partial-copy.h"

__attribute__((target("avx2"))) void ffem_qs8_vadd_minmax_ukernel__avx2(size_t count, const int8_t *a, const int8_t *b,
                                                                         int8_t *output, const ffem_qs8_add_params *p) {
  const ffem_requant_avx2 ra = ffem_requant_prepare_avx2(_mm256_set1_epi32(p->a_multiplier), _mm256_set1_epi32(p->a_shift));
  const ffem_requant_avx2 rb = ffem_requant_prepare_avx2(_mm256_set1_epi32(p->b_multiplier), _mm256_set1_epi32(p->b_shift));
  const ffem_requant_avx2 ro =
      ffem_requant_prepare_avx2(_mm256_set1_epi32(p->output_multiplier), _mm256_set1_epi32(p->output_shift));
  const ffem_output_stage_avx2 stage = ffem_output_stage_avx2_make(p->output_zero_point, p->output_min, p->output_max);
  const __m256i a_zero_point = _mm256_set1_epi32(p->a_zero_point), b_zero_point = _mm256_set1_epi32(p->b_zero_point);
  const __m256i left_shift = _mm256_set1_epi32(p->left_shift);
  for (size_t i = 0; i < count; i += 8) {
    const size_t lanes = count - i < 8 ? count - i : 8;
    int64_t a8 = 0, b8 = 0;
    ffem_copy_partial(&a8, a + i, lanes, 8);
    ffem_copy_partial(&b8, b + i, lanes, 8);
    const __m256i va = _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(a8));
    const __m256i vb = _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(b8));
    const __m256i sa = ffem_mbqm_avx2(_mm256_sllv_epi32(_mm256_sub_epi32(va, a_zero_point), left_shift), &ra);
    const __m256i sb = ffem_mbqm_avx2(_mm256_sllv_epi32(_mm256_sub_epi32(vb, b_zero_point), left_shift), &rb);
    const __m256i y = ffem_output_avx2(ffem_mbqm_avx2(_mm256_add_epi32(sa, sb), &ro), &stage);
    const int64_t bytes = _mm_cvtsi128_si64(ffem_narrow_s32_to_s8_avx2(y));
    ffem_copy_partial(output + i, &bytes, lanes, 8);
  }
}
#endif
