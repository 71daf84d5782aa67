// CFFEMKernels — ffem_u8_to_f32_centered_ukernel__avx512vnni: out[i] = (p[i] − 128) · 2^-7, 16 per
// step with a masked tail (AVX-512 F+BW, under the avx512vnni ISA bit). Exact in float32, so equal to
// the scalar kernel lane by lane.
#include "ffem_image.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_u8_to_f32_centered_ukernel__avx512vnni(
    const uint8_t *pixels, size_t count, float *out) {
  const __m512 offset = _mm512_set1_ps(128.0f), scale = _mm512_set1_ps(1.0f / 128.0f);
  for (size_t i = 0; i < count; i += 16) {
    const size_t lanes = count - i < 16 ? count - i : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1);
    const __m512i p = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, pixels + i));
    _mm512_mask_storeu_ps(out + i, mask, _mm512_mul_ps(_mm512_sub_ps(_mm512_cvtepi32_ps(p), offset), scale));
  }
}
#endif
