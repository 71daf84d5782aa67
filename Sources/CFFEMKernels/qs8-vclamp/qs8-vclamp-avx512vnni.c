// CFFEMKernels — ffem_qs8_vclamp_ukernel__avx512vnni: ReLU/ReLU6 clamp, 64 int8 per step (masked tail).
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_qs8_vclamp_ukernel__avx512vnni(
    size_t count, const int8_t *input, int8_t *output, int8_t output_min, int8_t output_max) {
  const __m512i low = _mm512_set1_epi8(output_min), high = _mm512_set1_epi8(output_max);
  for (size_t i = 0; i < count; i += 64) {
    const size_t lanes = count - i < 64 ? count - i : 64;
    const __mmask64 mask = lanes == 64 ? ~(__mmask64)0 : (((__mmask64)1 << lanes) - 1);
    const __m512i x = _mm512_maskz_loadu_epi8(mask, input + i);
    _mm512_mask_storeu_epi8(output + i, mask, _mm512_min_epi8(_mm512_max_epi8(x, low), high));
  }
}
#endif
