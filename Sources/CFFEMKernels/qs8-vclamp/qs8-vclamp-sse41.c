// CFFEMKernels — ffem_qs8_vclamp_ukernel__sse41: ReLU/ReLU6 clamp, 16 int8 per step (pminsb/pmaxsb).
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

__attribute__((target("sse4.1"))) void ffem_qs8_vclamp_ukernel__sse41(size_t count, const int8_t *input, int8_t *output,
                                                                       int8_t output_min, int8_t output_max) {
  const __m128i low = _mm_set1_epi8(output_min), high = _mm_set1_epi8(output_max);
  size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    const __m128i x = _mm_loadu_si128((const __m128i *)(input + i));
    _mm_storeu_si128((__m128i *)(output + i), _mm_min_epi8(_mm_max_epi8(x, low), high));
  }
  if (i < count) {
    int8_t tail[16] = {0};
    memcpy(tail, input + i, count - i);
    const __m128i x = _mm_loadu_si128((const __m128i *)tail);
    _mm_storeu_si128((__m128i *)tail, _mm_min_epi8(_mm_max_epi8(x, low), high));
    memcpy(output + i, tail, count - i);
  }
}
#endif
