// CFFEMKernels — ffem_qs8_requant_ukernel__avx2: int32 [rows][channels] → int8, 8 channels per step.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "../common/partial-copy.h"

__attribute__((target("avx2"))) void ffem_qs8_requant_ukernel__avx2(size_t rows, size_t channels, const int32_t *input,
                                                                     int8_t *output,
                                                                     const ffem_qs8_requant_params *params) {
  const ffem_output_stage_avx2 stage =
      ffem_output_stage_avx2_make(params->output_zero_point, params->output_min, params->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 8) {
    const size_t lanes = channels - c0 < 8 ? channels - c0 : 8;
    int32_t multiplier[8] = {0}, shift[8] = {0};
    memcpy(multiplier, params->multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, params->shift + c0, lanes * sizeof(int32_t));
    const ffem_requant_avx2 r = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)multiplier),
                                                          _mm256_loadu_si256((const __m256i *)shift));
    for (size_t i = 0; i < rows; i++) {
      int32_t acc[8] = {0};
      ffem_copy_partial(acc, input + i * channels + c0, lanes * sizeof(int32_t), 32);
      const __m256i y = ffem_output_avx2(ffem_mbqm_avx2(_mm256_loadu_si256((const __m256i *)acc), &r), &stage);
      int8_t bytes[16];
      _mm_storeu_si128((__m128i *)bytes, ffem_narrow_s32_to_s8_avx2(y));
      ffem_copy_partial(output + i * channels + c0, bytes, lanes, 8);
    }
  }
}
#endif
