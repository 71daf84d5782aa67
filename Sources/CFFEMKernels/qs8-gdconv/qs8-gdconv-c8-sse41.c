// CFFEMKernels — ffem_qs8_gdconv_minmax_ukernel_c8__sse41: global depthwise convolution, 8 channels per
// step (tile cr 8, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS with taps = pixels). Two pixels' int16 inputs
// are interleaved (punpck{l,h}wd) and pmaddwd adds both products per channel; |x·w| ≤ 128·127 and
// pixels·2^14 < 2^31 for pixels < 2^17: exact. For cr 8 the lo/hi lanes are channels 0-3 and 4-7.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-sse41.h"
#include "../common/partial-copy.h"

/// 8 channels of one pixel as int16, zero-filled past `lanes`.
__attribute__((target("sse4.1"), always_inline)) static inline __m128i load8(const int8_t *p, size_t lanes) {
  int64_t x8 = 0;
  ffem_copy_partial(&x8, p, lanes, 8);
  return _mm_cvtepi8_epi16(_mm_cvtsi64_si128(x8));
}

__attribute__((target("sse4.1"))) void ffem_qs8_gdconv_minmax_ukernel_c8__sse41(size_t pixels, size_t channels,
                                                                                 const int8_t *input,
                                                                                 const void *packed_weights,
                                                                                 int8_t *output,
                                                                                 const ffem_qs8_requant_params *params) {
  enum { CR = 8 };
  const ffem_output_stage_sse41 stage =
      ffem_output_stage_sse41_make(params->output_zero_point, params->output_min, params->output_max);
  const size_t pairs = (pixels + 1) / 2;
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += CR) {
    const size_t lanes = channels - c0 < CR ? channels - c0 : CR;
    const __m128i *w = (const __m128i *)(block + CR * sizeof(int32_t));
    __m128i acc_lo = _mm_loadu_si128((const __m128i *)block), acc_hi = _mm_loadu_si128((const __m128i *)(block + 16));
    for (size_t p = 0; p < pairs; p++) {
      const __m128i x0 = load8(input + 2 * p * channels + c0, lanes);
      const __m128i x1 = 2 * p + 1 < pixels ? load8(input + (2 * p + 1) * channels + c0, lanes) : _mm_setzero_si128();
      acc_lo = _mm_add_epi32(acc_lo, _mm_madd_epi16(_mm_unpacklo_epi16(x0, x1), _mm_loadu_si128(w + 2 * p)));
      acc_hi = _mm_add_epi32(acc_hi, _mm_madd_epi16(_mm_unpackhi_epi16(x0, x1), _mm_loadu_si128(w + 2 * p + 1)));
    }
    int32_t multiplier[CR] = {0}, shift[CR] = {0};
    memcpy(multiplier, params->multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, params->shift + c0, lanes * sizeof(int32_t));
    const ffem_requant_sse41 r_lo = ffem_requant_prepare_sse41(_mm_loadu_si128((const __m128i *)multiplier),
                                                               _mm_loadu_si128((const __m128i *)shift));
    const ffem_requant_sse41 r_hi = ffem_requant_prepare_sse41(_mm_loadu_si128((const __m128i *)(multiplier + 4)),
                                                               _mm_loadu_si128((const __m128i *)(shift + 4)));
    const __m128i words = _mm_packs_epi32(ffem_output_sse41(ffem_mbqm_sse41(acc_lo, &r_lo), &stage),
                                          ffem_output_sse41(ffem_mbqm_sse41(acc_hi, &r_hi), &stage));
    const int64_t bytes = _mm_cvtsi128_si64(_mm_packs_epi16(words, words));
    ffem_copy_partial(output + c0, &bytes, lanes, 8);
    block += CR * sizeof(int32_t) + pairs * CR * 2 * sizeof(int16_t);
  }
}
#endif
