// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_ukernel_c32__avx512vnni: depthwise 3×3, 32 channels per
// step (tile cr 32, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS). Two taps' int16 inputs are interleaved
// with vpunpck{l,h}wd and vpdpwssd multiplies and accumulates both per channel (|x·w| ≤ 128·127,
// exact); the accumulators hold channels {0-3,8-11,16-19,24-27} (lo) and {4-7,…,28-31} (hi) and
// are put back in order with vpermt2q.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/fixedpoint-avx512.h"
#include "dwconv3x3-taps.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// The 32 channels of tap pixel `p` from c0 on as int16 (masked load past `lanes`), or the zero point.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline __m512i load_tap(const int8_t *p, size_t c0,
                                                                               __mmask32 mask, __m512i zero_point) {
  if (p == NULL) return zero_point;
  return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, p + c0));
}

/// The 9 taps' products for 32 channels: acc_lo/acc_hi as laid out by the tap-pair packing.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void accumulate(const __m512i x[9], const __m512i w[10],
                                                                              __m512i *acc_lo, __m512i *acc_hi) {
  __m512i lo = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
  for (size_t p = 0; p < 4; p++) {
    lo = _mm512_dpwssd_epi32(lo, _mm512_unpacklo_epi16(x[2 * p], x[2 * p + 1]), w[2 * p]);
    hi = _mm512_dpwssd_epi32(hi, _mm512_unpackhi_epi16(x[2 * p], x[2 * p + 1]), w[2 * p + 1]);
  }
  const __m512i zero = _mm512_setzero_si512();
  *acc_lo = _mm512_dpwssd_epi32(lo, _mm512_unpacklo_epi16(x[8], zero), w[8]);
  *acc_hi = _mm512_dpwssd_epi32(hi, _mm512_unpackhi_epi16(x[8], zero), w[9]);
}

TARGET_AVX512VNNI void ffem_qs8_dwconv3x3_minmax_ukernel_c32__avx512vnni(const ffem_qs8_conv3x3_geometry *g,
                                                                         const int8_t *input,
                                                                         const void *packed_weights, int8_t *output,
                                                                         const ffem_qs8_requant_params *params) {
  enum { CR = 32, PAIRS = 5 };
  // Locals: the output stores may alias anything reachable through `g`.
  const size_t channels = g->input_channels, input_width = g->input_width;
  const size_t output_height = g->output_height, output_width = g->output_width, stride = g->stride;
  const int64_t padding_left = g->padding_left;
  const ffem_output_stage_avx512 stage =
      ffem_output_stage_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  const __m512i zero_point = _mm512_set1_epi16((int16_t)g->input_zero_point);
  const __m512i order0 = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
  const __m512i order1 = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += CR) {
    const size_t lanes = channels - c0 < CR ? channels - c0 : CR;
    const __mmask32 mask = (__mmask32)(lanes == 32 ? 0xFFFFFFFFu : (1u << lanes) - 1u);
    const __mmask16 mask0 = (__mmask16)(mask & 0xFFFF), mask1 = (__mmask16)(mask >> 16);
    const ffem_requant_avx512 r0 = ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask0, params->multiplier + c0),
                                                               _mm512_maskz_loadu_epi32(mask0, params->shift + c0));
    const ffem_requant_avx512 r1 =
        ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask1, params->multiplier + c0 + 16),
                                    _mm512_maskz_loadu_epi32(mask1, params->shift + c0 + 16));
    const __m512i bias0 = _mm512_loadu_si512(block), bias1 = _mm512_loadu_si512(block + 64);
    const __m512i *w = (const __m512i *)(block + CR * sizeof(int32_t));
    __m512i wv[2 * PAIRS];
    for (size_t i = 0; i < 2 * PAIRS; i++) wv[i] = _mm512_loadu_si512(w + i);
    for (size_t oy = 0; oy < output_height; oy++) {
      const int8_t *rows[3];
      ffem_dwconv3x3_rows(g, input, oy, rows);
      const int has_all_rows = rows[0] != NULL && rows[1] != NULL && rows[2] != NULL;
      int8_t *out = output + oy * output_width * channels + c0;
      for (size_t ox = 0; ox < output_width; ox++, out += channels) {
        const int64_t ix0 = (int64_t)(ox * stride) - padding_left;
        __m512i x[9];
        if (has_all_rows && ix0 >= 0 && ix0 + 2 < (int64_t)input_width) {
          // Interior pixel: nine plain loads.
          for (size_t ky = 0; ky < 3; ky++) {
            const int8_t *pixel = rows[ky] + (size_t)ix0 * channels + c0;
            for (size_t kx = 0; kx < 3; kx++) {
              x[ky * 3 + kx] = _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, pixel + kx * channels));
            }
          }
        } else {
          const int8_t *taps[9];
          ffem_dwconv3x3_taps(g, rows, ox, taps);
          for (size_t t = 0; t < 9; t++) x[t] = load_tap(taps[t], c0, mask, zero_point);
        }
        __m512i acc_lo, acc_hi;
        accumulate(x, wv, &acc_lo, &acc_hi);
        const __m512i acc0 = _mm512_add_epi32(_mm512_permutex2var_epi64(acc_lo, order0, acc_hi), bias0);
        const __m512i acc1 = _mm512_add_epi32(_mm512_permutex2var_epi64(acc_lo, order1, acc_hi), bias1);
        const __m128i y0 = ffem_output_avx512(ffem_mbqm_avx512(acc0, &r0), &stage);
        const __m128i y1 = ffem_output_avx512(ffem_mbqm_avx512(acc1, &r1), &stage);
        _mm256_mask_storeu_epi8(out, mask, _mm256_inserti128_si256(_mm256_castsi128_si256(y0), y1, 1));
      }
    }
    block += CR * sizeof(int32_t) + PAIRS * CR * 2 * sizeof(int16_t);
  }
}
#endif
