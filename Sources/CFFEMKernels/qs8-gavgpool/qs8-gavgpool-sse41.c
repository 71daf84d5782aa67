// CFFEMKernels — ffem_qs8_gavgpool_minmax_ukernel__sse41: global average pooling, 4 channels per step;
// the int32 sums are exact, so each lane equals the scalar kernel.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-sse41.h"
#include "../common/partial-copy.h"

__attribute__((target("sse4.1"))) void ffem_qs8_gavgpool_minmax_ukernel__sse41(size_t pixels, size_t channels,
                                                                                const int8_t *input, int8_t *output,
                                                                                const ffem_qs8_gavgpool_params *p) {
  const ffem_requant_sse41 r = ffem_requant_prepare_sse41(_mm_set1_epi32(p->multiplier), _mm_set1_epi32(p->shift));
  const ffem_output_stage_sse41 stage = ffem_output_stage_sse41_make(p->output_zero_point, p->output_min, p->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 4) {
    const size_t lanes = channels - c0 < 4 ? channels - c0 : 4;
    __m128i acc = _mm_set1_epi32(-(int32_t)pixels * p->input_zero_point);
    for (size_t i = 0; i < pixels; i++) {
      int32_t x4 = 0;
      ffem_copy_partial(&x4, input + i * channels + c0, lanes, 4);
      acc = _mm_add_epi32(acc, _mm_cvtepi8_epi32(_mm_cvtsi32_si128(x4)));
    }
    const __m128i y = ffem_output_sse41(ffem_mbqm_sse41(acc, &r), &stage);
    const __m128i words = _mm_packs_epi32(y, y);
    const int32_t bytes = _mm_cvtsi128_si32(_mm_packs_epi16(words, words));
    ffem_copy_partial(output + c0, &bytes, lanes, 4);
  }
}
#endif
