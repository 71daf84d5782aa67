// CFFEMKernels — ffem_u8_to_f32_centered_ukernel__avx2: out[i] = (p[i] − 128) · 2^-7, 16 per step.
// Exact in float32 (small integer times a power of two), so equal to the scalar kernel lane by lane.
#include "ffem_image.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) void ffem_u8_to_f32_centered_ukernel__avx2(const uint8_t *pixels, size_t count,
                                                                             float *out) {
  const __m256 offset = _mm256_set1_ps(128.0f), scale = _mm256_set1_ps(1.0f / 128.0f);
  size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    for (int h = 0; h < 2; h++) {
      const __m256i lanes = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(pixels + i + 8 * h)));
      _mm256_storeu_ps(out + i + 8 * h, _mm256_mul_ps(_mm256_sub_ps(_mm256_cvtepi32_ps(lanes), offset), scale));
    }
  }
  for (; i < count; i++) out[i] = ((float)pixels[i] - 128.0f) * (1.0f / 128.0f);
}
#endif
