// CFFEMKernels — ffem_qs8_gavgpool_minmax_ukernel__avx512vnni: global average pooling, 16 channels per
// step (masked tail); the int32 sums are exact, so each lane equals the scalar kernel.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/fixedpoint-avx512.h"

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_qs8_gavgpool_minmax_ukernel__avx512vnni(
    size_t pixels, size_t channels, const int8_t *input, int8_t *output, const ffem_qs8_gavgpool_params *p) {
  const ffem_requant_avx512 r = ffem_requant_prepare_avx512(_mm512_set1_epi32(p->multiplier), _mm512_set1_epi32(p->shift));
  const ffem_output_stage_avx512 stage = ffem_output_stage_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  for (size_t c0 = 0; c0 < channels; c0 += 16) {
    const size_t lanes = channels - c0 < 16 ? channels - c0 : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    __m512i acc = _mm512_set1_epi32(-(int32_t)pixels * p->input_zero_point);
    for (size_t i = 0; i < pixels; i++) {
      acc = _mm512_add_epi32(acc, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, input + i * channels + c0)));
    }
    _mm_mask_storeu_epi8(output + c0, mask, ffem_output_avx512(ffem_mbqm_avx512(acc, &r), &stage));
  }
}
#endif
