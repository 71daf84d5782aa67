// CFFEMKernels — ffem_qs8_gavgpool_minmax_ukernel__avx2: global average pooling, 8 channels per step;
// the int32 sums are exact, so each lane equals the scalar kernel.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "../common/partial-copy.h"

__attribute__((target("avx2"))) void ffem_qs8_gavgpool_minmax_ukernel__avx2(size_t pixels, size_t channels,
                                                                             const int8_t *input, int8_t *output,
                                                                             const ffem_qs8_gavgpool_params *p) {
  const ffem_requant_avx2 r = ffem_requant_prepare_avx2(_mm256_set1_epi32(p->multiplier), _mm256_set1_epi32(p->shift));
  const ffem_output_stage_avx2 stage = ffem_output_stage_avx2_make(p->output_zero_point, p->output_min, p->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 8) {
    const size_t lanes = channels - c0 < 8 ? channels - c0 : 8;
    __m256i acc = _mm256_set1_epi32(-(int32_t)pixels * p->input_zero_point);
    for (size_t i = 0; i < pixels; i++) {
      int64_t x8 = 0;
      ffem_copy_partial(&x8, input + i * channels + c0, lanes, 8);
      acc = _mm256_add_epi32(acc, _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(x8)));
    }
    const int64_t bytes = _mm_cvtsi128_si64(ffem_narrow_s32_to_s8_avx2(ffem_output_avx2(ffem_mbqm_avx2(acc, &r), &stage)));
    ffem_copy_partial(output + c0, &bytes, lanes, 8);
  }
}
#endif
