// CFFEMKernels — ffem_u8_to_f32_centered_ukernel__sse41: out[i] = (p[i] − 128) · 2^-7, 16 per step.
// p − 128 is an exact small integer and the scale a power of two, so every lane equals the scalar
// kernel's value exactly.
#include "ffem_image.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("sse4.1"))) void ffem_u8_to_f32_centered_ukernel__sse41(const uint8_t *pixels, size_t count,
                                                                               float *out) {
  const __m128 offset = _mm_set1_ps(128.0f), scale = _mm_set1_ps(1.0f / 128.0f);
  size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    const __m128i p = _mm_loadu_si128((const __m128i *)(pixels + i));
    for (int q = 0; q < 4; q++) {
      const __m128i lanes = _mm_cvtepu8_epi32(q == 0 ? p : q == 1 ? _mm_srli_si128(p, 4) : q == 2 ? _mm_srli_si128(p, 8) : _mm_srli_si128(p, 12));
      _mm_storeu_ps(out + i + 4 * q, _mm_mul_ps(_mm_sub_ps(_mm_cvtepi32_ps(lanes), offset), scale));
    }
  }
  for (; i < count; i++) out[i] = ((float)pixels[i] - 128.0f) * (1.0f / 128.0f);
}
#endif
