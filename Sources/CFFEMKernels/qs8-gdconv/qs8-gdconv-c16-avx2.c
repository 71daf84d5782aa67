// CFFEMKernels — ffem_qs8_gdconv_minmax_ukernel_c16__avx2: global depthwise convolution, 16 channels
// per step (tile cr 16, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS with taps = pixels). Two pixels'
// int16 inputs are interleaved (vpunpck{l,h}wd) and vpmaddwd adds both products per channel;
// |x·w| ≤ 128·127 and pixels·2^14 < 2^31 for pixels < 2^17: exact.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "../common/partial-copy.h"

/// 16 channels of one pixel from c0 on as int16, zero-filled past `lanes`.
__attribute__((target("avx2"), always_inline)) static inline __m256i load16(const int8_t *p, size_t lanes) {
  if (lanes == 16) return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)p));
  int8_t tail[16] = {0};
  memcpy(tail, p, lanes);
  return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)tail));
}

__attribute__((target("avx2"))) void ffem_qs8_gdconv_minmax_ukernel_c16__avx2(size_t pixels, size_t channels,
                                                                                const int8_t *input,
                                                                                const void *packed_weights,
                                                                                int8_t *output,
                                                                                const ffem_qs8_requant_params *params) {
  enum { CR = 16 };
  const ffem_output_stage_avx2 stage =
      ffem_output_stage_avx2_make(params->output_zero_point, params->output_min, params->output_max);
  const size_t pairs = (pixels + 1) / 2;
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += CR) {
    const size_t lanes = channels - c0 < CR ? channels - c0 : CR;
    const __m256i *w = (const __m256i *)(block + CR * sizeof(int32_t));
    __m256i acc_lo = _mm256_setzero_si256(), acc_hi = _mm256_setzero_si256();
    for (size_t p = 0; p < pairs; p++) {
      const __m256i x0 = load16(input + 2 * p * channels + c0, lanes);
      const __m256i x1 = 2 * p + 1 < pixels ? load16(input + (2 * p + 1) * channels + c0, lanes) : _mm256_setzero_si256();
      acc_lo = _mm256_add_epi32(acc_lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1), _mm256_loadu_si256(w + 2 * p)));
      acc_hi = _mm256_add_epi32(acc_hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1), _mm256_loadu_si256(w + 2 * p + 1)));
    }
    const __m256i acc0 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x20),
                                          _mm256_loadu_si256((const __m256i *)block));
    const __m256i acc1 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x31),
                                          _mm256_loadu_si256((const __m256i *)(block + 32)));
    int32_t multiplier[CR] = {0}, shift[CR] = {0};
    memcpy(multiplier, params->multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, params->shift + c0, lanes * sizeof(int32_t));
    const ffem_requant_avx2 r0 = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)multiplier),
                                                           _mm256_loadu_si256((const __m256i *)shift));
    const ffem_requant_avx2 r1 = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)(multiplier + 8)),
                                                           _mm256_loadu_si256((const __m256i *)(shift + 8)));
    const __m128i bytes = _mm_unpacklo_epi64(ffem_narrow_s32_to_s8_avx2(ffem_output_avx2(ffem_mbqm_avx2(acc0, &r0), &stage)),
                                             ffem_narrow_s32_to_s8_avx2(ffem_output_avx2(ffem_mbqm_avx2(acc1, &r1), &stage)));
    int8_t tail[16];
    _mm_storeu_si128((__m128i *)tail, bytes);
    ffem_copy_partial(output + c0, tail, lanes, 16);
    block += CR * sizeof(int32_t) + pairs * CR * 2 * sizeof(int16_t);
  }
}
#endif
