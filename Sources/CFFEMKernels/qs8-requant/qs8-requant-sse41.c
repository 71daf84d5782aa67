// CFFEMKernels — ffem_qs8_requant_ukernel__sse41: int32 [rows][channels] → int8, 4 channels per step.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-sse41.h"
#include "../common/partial-copy.h"

__attribute__((target("sse4.1"))) void ffem_qs8_requant_ukernel__sse41(size_t rows, size_t channels,
                                                                        const int32_t *input, int8_t *output,
                                                                        const ffem_qs8_requant_params *params) {
  const ffem_output_stage_sse41 stage =
      ffem_output_stage_sse41_make(params->output_zero_point, params->output_min, params->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 4) {
    const size_t lanes = channels - c0 < 4 ? channels - c0 : 4;
    int32_t multiplier[4] = {0, 0, 0, 0}, shift[4] = {0, 0, 0, 0};
    memcpy(multiplier, params->multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, params->shift + c0, lanes * sizeof(int32_t));
    const ffem_requant_sse41 r =
        ffem_requant_prepare_sse41(_mm_loadu_si128((const __m128i *)multiplier), _mm_loadu_si128((const __m128i *)shift));
    for (size_t i = 0; i < rows; i++) {
      int32_t acc[4] = {0, 0, 0, 0};
      ffem_copy_partial(acc, input + i * channels + c0, lanes * sizeof(int32_t), 16);
      const __m128i y = ffem_output_sse41(ffem_mbqm_sse41(_mm_loadu_si128((const __m128i *)acc), &r), &stage);
      const __m128i words = _mm_packs_epi32(y, y);
      const int32_t bytes = _mm_cvtsi128_si32(_mm_packs_epi16(words, words));
      ffem_copy_partial(output + i * channels + c0, &bytes, lanes, 4);
    }
  }
}
#endif
