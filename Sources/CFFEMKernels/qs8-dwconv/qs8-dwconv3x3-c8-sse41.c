// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_ukernel_c8__sse41: depthwise 3×3, 8 channels per step
// (tile cr 8, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS). Two taps' int16 inputs are interleaved with
// punpck{l,h}wd and pmaddwd adds both products per channel: |x·w| ≤ 128·127, exact in int32.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-sse41.h"
#include "dwconv3x3-taps.h"

/// The 8 channels of tap pixel `p` from c0 on as int16 (zero-filled past `lanes`), or the zero point.
__attribute__((target("sse4.1"), always_inline)) static inline __m128i load_tap(const int8_t *p, size_t c0,
                                                                                size_t lanes, __m128i zero_point) {
  if (p == NULL) return zero_point;
  if (lanes == 8) return _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(p + c0)));
  int8_t tail[8] = {0};
  memcpy(tail, p + c0, lanes);
  return _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)tail));
}

__attribute__((target("sse4.1"))) void ffem_qs8_dwconv3x3_minmax_ukernel_c8__sse41(
    const ffem_qs8_conv3x3_geometry *g, const int8_t *input, const void *packed_weights, int8_t *output,
    const ffem_qs8_requant_params *params) {
  enum { CR = 8, PAIRS = 5 };
  const size_t channels = g->input_channels;
  const ffem_output_stage_sse41 stage =
      ffem_output_stage_sse41_make(params->output_zero_point, params->output_min, params->output_max);
  const __m128i zero_point = _mm_set1_epi16((int16_t)g->input_zero_point);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += CR) {
    const size_t lanes = channels - c0 < CR ? channels - c0 : CR;
    int32_t multiplier[CR] = {0}, shift[CR] = {0};
    memcpy(multiplier, params->multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, params->shift + c0, lanes * sizeof(int32_t));
    const ffem_requant_sse41 r_lo = ffem_requant_prepare_sse41(_mm_loadu_si128((const __m128i *)multiplier),
                                                               _mm_loadu_si128((const __m128i *)shift));
    const ffem_requant_sse41 r_hi = ffem_requant_prepare_sse41(_mm_loadu_si128((const __m128i *)(multiplier + 4)),
                                                               _mm_loadu_si128((const __m128i *)(shift + 4)));
    const __m128i bias_lo = _mm_loadu_si128((const __m128i *)block);
    const __m128i bias_hi = _mm_loadu_si128((const __m128i *)(block + 16));
    const __m128i *w = (const __m128i *)(block + CR * sizeof(int32_t));
    for (size_t oy = 0; oy < g->output_height; oy++) {
      const int8_t *rows[3];
      ffem_dwconv3x3_rows(g, input, oy, rows);
      for (size_t ox = 0; ox < g->output_width; ox++) {
        const int8_t *taps[9];
        ffem_dwconv3x3_taps(g, rows, ox, taps);
        __m128i acc_lo = bias_lo, acc_hi = bias_hi;
        for (size_t p = 0; p < PAIRS; p++) {
          const __m128i x0 = load_tap(taps[2 * p], c0, lanes, zero_point);
          const __m128i x1 = 2 * p + 1 < 9 ? load_tap(taps[2 * p + 1], c0, lanes, zero_point) : _mm_setzero_si128();
          acc_lo = _mm_add_epi32(acc_lo, _mm_madd_epi16(_mm_unpacklo_epi16(x0, x1), _mm_loadu_si128(w + 2 * p)));
          acc_hi = _mm_add_epi32(acc_hi, _mm_madd_epi16(_mm_unpackhi_epi16(x0, x1), _mm_loadu_si128(w + 2 * p + 1)));
        }
        const __m128i y_lo = ffem_output_sse41(ffem_mbqm_sse41(acc_lo, &r_lo), &stage);
        const __m128i y_hi = ffem_output_sse41(ffem_mbqm_sse41(acc_hi, &r_hi), &stage);
        const __m128i words = _mm_packs_epi32(y_lo, y_hi);
        int8_t *out = output + (oy * g->output_width + ox) * channels + c0;
        if (lanes == CR) {
          _mm_storel_epi64((__m128i *)out, _mm_packs_epi16(words, words));
        } else {
          int8_t bytes[16];
          _mm_storeu_si128((__m128i *)bytes, _mm_packs_epi16(words, words));
          memcpy(out, bytes, lanes);
        }
      }
    }
    block += CR * sizeof(int32_t) + PAIRS * CR * 2 * sizeof(int16_t);
  }
}
#endif
