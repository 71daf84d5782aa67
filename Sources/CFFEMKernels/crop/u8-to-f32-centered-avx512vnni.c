// CFFEMKernels — ffem_u8_to_f32_centered_ukernel__avx512vnni: out[i] = (p[i] − 128) · 2^-7, 32 per
// step, masked tail (AVX-512 F+BW, under the avx512vnni ISA bit). Exact in float32 (a small integer
// times a power of two), so equal to the scalar kernel lane by lane.
#include "ffem_image.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define FFEM_AVX512 "avx512f,avx512bw,avx512vl,avx512vnni"

static inline __attribute__((always_inline, target(FFEM_AVX512))) __m512 centered(__m128i bytes) {
  return _mm512_mul_ps(_mm512_sub_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(bytes)), _mm512_set1_ps(128.0f)),
                       _mm512_set1_ps(1.0f / 128.0f));
}

__attribute__((target(FFEM_AVX512))) void ffem_u8_to_f32_centered_ukernel__avx512vnni(const uint8_t *pixels,
                                                                                    size_t count, float *out) {
  size_t i = 0;
  for (; i + 32 <= count; i += 32) {
    _mm512_storeu_ps(out + i, centered(_mm_loadu_si128((const __m128i *)(pixels + i))));
    _mm512_storeu_ps(out + i + 16, centered(_mm_loadu_si128((const __m128i *)(pixels + i + 16))));
  }
  for (; i < count; i += 16) {
    const size_t lanes = count - i < 16 ? count - i : 16;
    const __mmask16 mask = (__mmask16)((1u << lanes) - 1);
    _mm512_mask_storeu_ps(out + i, mask, centered(_mm_maskz_loadu_epi8(mask, pixels + i)));
  }
}
#undef FFEM_AVX512
#endif
