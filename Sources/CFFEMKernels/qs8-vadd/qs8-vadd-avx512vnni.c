// CFFEMKernels — ffem_qs8_vadd_minmax_ukernel__avx512vnni: TFLite ADD on 16 int8 per step (masked tail).
// Each lane computes exactly ffem_qs8_vadd_minmax_ukernel__scalar: (x − zp)·2^left_shift wraps
// like the scalar shift (vpsllvd), then three MultiplyByQuantizedMultiplier per lane.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/fixedpoint-avx512.h"

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_qs8_vadd_minmax_ukernel__avx512vnni(
    size_t count, const int8_t *a, const int8_t *b, int8_t *output, const ffem_qs8_add_params *p) {
  const ffem_requant_avx512 ra =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->a_multiplier), _mm512_set1_epi32(p->a_shift));
  const ffem_requant_avx512 rb =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->b_multiplier), _mm512_set1_epi32(p->b_shift));
  const ffem_requant_avx512 ro =
      ffem_requant_prepare_avx512(_mm512_set1_epi32(p->output_multiplier), _mm512_set1_epi32(p->output_shift));
  const ffem_output_stage_avx512 stage = ffem_output_stage_avx512_make(p->output_zero_point, p->output_min, p->output_max);
  const __m512i a_zero_point = _mm512_set1_epi32(p->a_zero_point), b_zero_point = _mm512_set1_epi32(p->b_zero_point);
  const __m512i left_shift = _mm512_set1_epi32(p->left_shift);
  for (size_t i = 0; i < count; i += 16) {
    const size_t lanes = count - i < 16 ? count - i : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1u);
    const __m512i va = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, a + i));
    const __m512i vb = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, b + i));
    const __m512i sa = ffem_mbqm_avx512(_mm512_sllv_epi32(_mm512_sub_epi32(va, a_zero_point), left_shift), &ra);
    const __m512i sb = ffem_mbqm_avx512(_mm512_sllv_epi32(_mm512_sub_epi32(vb, b_zero_point), left_shift), &rb);
    _mm_mask_storeu_epi8(output + i, mask, ffem_output_avx512(ffem_mbqm_avx512(_mm512_add_epi32(sa, sb), &ro), &stage));
  }
}
#endif
