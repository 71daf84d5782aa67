// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_ukernel_c16__avx2: depthwise 3×3, 16 channels per step
// (tile cr 16, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS). Two taps' int16 inputs are interleaved with
// vpunpck{l,h}wd and vpmaddwd adds both products per channel (|x·w| ≤ 128·127, exact); the
// accumulators hold channels 0-3,8-11 (lo) and 4-7,12-15 (hi) and are put back in order at the end.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "dwconv3x3-taps.h"

/// The 16 channels of tap pixel `p` from c0 on as int16 (zero-filled past `lanes`), or the zero point.
__attribute__((target("avx2"), always_inline)) static inline __m256i load_tap(const int8_t *p, size_t c0, size_t lanes,
                                                                              __m256i zero_point) {
  if (p == NULL) return zero_point;
  if (lanes == 16) return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(p + c0)));
  int8_t tail[16] = {0};
  memcpy(tail, p + c0, lanes);
  return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)tail));
}

__attribute__((target("avx2"))) void ffem_qs8_dwconv3x3_minmax_ukernel_c16__avx2(
    const ffem_qs8_conv3x3_geometry *g, const int8_t *input, const void *packed_weights, int8_t *output,
    const ffem_qs8_requant_params *params) {
  enum { CR = 16, PAIRS = 5 };
  const size_t channels = g->input_channels;
  const ffem_output_stage_avx2 stage =
      ffem_output_stage_avx2_make(params->output_zero_point, params->output_min, params->output_max);
  const __m256i zero_point = _mm256_set1_epi16((int16_t)g->input_zero_point);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += CR) {
    const size_t lanes = channels - c0 < CR ? channels - c0 : CR;
    int32_t multiplier[CR] = {0}, shift[CR] = {0};
    memcpy(multiplier, params->multiplier + c0, lanes * sizeof(int32_t));
    memcpy(shift, params->shift + c0, lanes * sizeof(int32_t));
    const ffem_requant_avx2 r0 = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)multiplier),
                                                           _mm256_loadu_si256((const __m256i *)shift));
    const ffem_requant_avx2 r1 = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)(multiplier + 8)),
                                                           _mm256_loadu_si256((const __m256i *)(shift + 8)));
    const __m256i bias0 = _mm256_loadu_si256((const __m256i *)block);
    const __m256i bias1 = _mm256_loadu_si256((const __m256i *)(block + 32));
    const __m256i *w = (const __m256i *)(block + CR * sizeof(int32_t));
    for (size_t oy = 0; oy < g->output_height; oy++) {
      const int8_t *rows[3];
      ffem_dwconv3x3_rows(g, input, oy, rows);
      for (size_t ox = 0; ox < g->output_width; ox++) {
        const int8_t *taps[9];
        ffem_dwconv3x3_taps(g, rows, ox, taps);
        __m256i acc_lo = _mm256_setzero_si256(), acc_hi = _mm256_setzero_si256();
        for (size_t p = 0; p < PAIRS; p++) {
          const __m256i x0 = load_tap(taps[2 * p], c0, lanes, zero_point);
          const __m256i x1 = 2 * p + 1 < 9 ? load_tap(taps[2 * p + 1], c0, lanes, zero_point) : _mm256_setzero_si256();
          acc_lo = _mm256_add_epi32(acc_lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1), _mm256_loadu_si256(w + 2 * p)));
          acc_hi =
              _mm256_add_epi32(acc_hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1), _mm256_loadu_si256(w + 2 * p + 1)));
        }
        const __m256i acc0 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x20), bias0);
        const __m256i acc1 = _mm256_add_epi32(_mm256_permute2x128_si256(acc_lo, acc_hi, 0x31), bias1);
        const __m256i y0 = ffem_output_avx2(ffem_mbqm_avx2(acc0, &r0), &stage);
        const __m256i y1 = ffem_output_avx2(ffem_mbqm_avx2(acc1, &r1), &stage);
        const __m128i bytes = _mm_unpacklo_epi64(ffem_narrow_s32_to_s8_avx2(y0), ffem_narrow_s32_to_s8_avx2(y1));
        int8_t *out = output + (oy * g->output_width + ox) * channels + c0;
        if (lanes == CR) {
          _mm_storeu_si128((__m128i *)out, bytes);
        } else {
          int8_t tail[16];
          _mm_storeu_si128((__m128i *)tail, bytes);
          memcpy(out, tail, lanes);
        }
      }
    }
    block += CR * sizeof(int32_t) + PAIRS * CR * 2 * sizeof(int16_t);
  }
}
#endif
