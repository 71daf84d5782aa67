// CFFEMKernels — ffem_qs8_requant_ukernel__avx512vnni: int32 [rows][channels] → int8, 16 channels per step
// (masked loads and stores for the channel tail).
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/fixedpoint-avx512.h"

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_qs8_requant_ukernel__avx512vnni(
    size_t rows, size_t channels, const int32_t *input, int8_t *output, const ffem_qs8_requant_params *params) {
  const ffem_output_stage_avx512 stage =
      ffem_output_stage_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 16) {
    const size_t lanes = channels - c0 < 16 ? channels - c0 : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    const ffem_requant_avx512 r = ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask, params->multiplier + c0),
                                                              _mm512_maskz_loadu_epi32(mask, params->shift + c0));
    for (size_t i = 0; i < rows; i++) {
      const __m512i acc = _mm512_maskz_loadu_epi32(mask, input + i * channels + c0);
      _mm_mask_storeu_epi8(output + i * channels + c0, mask, ffem_output_avx512(ffem_mbqm_avx512(acc, &r), &stage));
    }
  }
}
#endif
