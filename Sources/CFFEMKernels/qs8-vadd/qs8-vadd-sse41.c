// CFFEMKernels — ffem_qs8_vadd_minmax_ukernel__sse41: TFLite ADD on 4 int8 per step.
// Each lane computes exactly ffem_qs8_vadd_minmax_ukernel__scalar (wrapping pslld left shift,
// then three MultiplyByQuantizedMultiplier per lane).
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-sse41.h"
#include "../common/partial-copy.h"

__attribute__((target("sse4.1"))) void ffem_qs8_vadd_minmax_ukernel__sse41(size_t count, const int8_t *a,
                                                                            const int8_t *b, int8_t *output,
                                                                            const ffem_qs8_add_params *p) {
  const ffem_requant_sse41 ra = ffem_requant_prepare_sse41(_mm_set1_epi32(p->a_multiplier), _mm_set1_epi32(p->a_shift));
  const ffem_requant_sse41 rb = ffem_requant_prepare_sse41(_mm_set1_epi32(p->b_multiplier), _mm_set1_epi32(p->b_shift));
  const ffem_requant_sse41 ro =
      ffem_requant_prepare_sse41(_mm_set1_epi32(p->output_multiplier), _mm_set1_epi32(p->output_shift));
  const ffem_output_stage_sse41 stage = ffem_output_stage_sse41_make(p->output_zero_point, p->output_min, p->output_max);
  const __m128i a_zero_point = _mm_set1_epi32(p->a_zero_point), b_zero_point = _mm_set1_epi32(p->b_zero_point);
  const __m128i left_shift = _mm_cvtsi32_si128(p->left_shift);
  for (size_t i = 0; i < count; i += 4) {
    const size_t lanes = count - i < 4 ? count - i : 4;
    int32_t a4 = 0, b4 = 0;
    ffem_copy_partial(&a4, a + i, lanes, 4);
    ffem_copy_partial(&b4, b + i, lanes, 4);
    const __m128i va = _mm_cvtepi8_epi32(_mm_cvtsi32_si128(a4));
    const __m128i vb = _mm_cvtepi8_epi32(_mm_cvtsi32_si128(b4));
    const __m128i sa = ffem_mbqm_sse41(_mm_sll_epi32(_mm_sub_epi32(va, a_zero_point), left_shift), &ra);
    const __m128i sb = ffem_mbqm_sse41(_mm_sll_epi32(_mm_sub_epi32(vb, b_zero_point), left_shift), &rb);
    const __m128i y = ffem_output_sse41(ffem_mbqm_sse41(_mm_add_epi32(sa, sb), &ro), &stage);
    const __m128i words = _mm_packs_epi32(y, y);
    const int32_t bytes = _mm_cvtsi128_si32(_mm_packs_epi16(words, words));
    ffem_copy_partial(output + i, &bytes, lanes, 4);
  }
}
#endif
