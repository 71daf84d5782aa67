// CFFEMKernels — ffem_qs8_vclamp_ukernel__avx2: ReLU/ReLU6 clamp, 32 int8 per step (vpminsb/vpmaxsb).
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

__attribute__((target("avx2"))) void ffem_qs8_vclamp_ukernel__avx2(size_t count, const int8_t *input, int8_t *output,
                                                                    int8_t output_min, int8_t output_max) {
  const __m256i low = _mm256_set1_epi8(output_min), high = _mm256_set1_epi8(output_max);
  size_t i = 0;
  for (; i + 32 <= count; i += 32) {
    const __m256i x = _mm256_loadu_si256((const __m256i *)(input + i));
    _mm256_storeu_si256((__m256i *)(output + i), _mm256_min_epi8(_mm256_max_epi8(x, low), high));
  }
  if (i < count) {
    int8_t tail[32] = {0};
    memcpy(tail, input + i, count - i);
    const __m256i x = _mm256_loadu_si256((const __m256i *)tail);
    _mm256_storeu_si256((__m256i *)tail, _mm256_min_epi8(_mm256_max_epi8(x, low), high));
    memcpy(output + i, tail, count - i);
  }
}
#endif
