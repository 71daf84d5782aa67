// CFFEMKernels — the c32 AVX-512 depthwise 3×3 loop, shared by the plain kernel and its fused-PReLU
// twin. Internal. 32 channels per step (tile cr 32, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS). Two taps' int16 inputs are interleaved
// with vpunpck{l,h}wd and vpdpwssd multiplies and accumulates both per channel (|x·w| ≤ 128·127,
// exact); the accumulators hold channels {0-3,8-11,16-19,24-27} (lo) and {4-7,…,28-31} (hi). Bias
// and requantization parameters are permuted into that order once per channel block, and the 16
// output bytes of lo and hi are put back in channel order by punpck{l,h}dq.
#ifndef FFEM_QS8_DWCONV3X3_C32_AVX512VNNI_H
#define FFEM_QS8_DWCONV3X3_C32_AVX512VNNI_H
#if defined(__x86_64__)
#include "../common/prelu-epilogue-avx512.h"
#include "dwconv3x3-taps.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// The 32 channels of tap pixel `p` from c0 on as int16 (masked load past `lanes`), or the zero point.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline __m512i load_tap(const int8_t *p, size_t c0,
                                                                               __mmask32 mask, __m512i zero_point) {
  if (p == NULL) return zero_point;
  return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, p + c0));
}

/// The 9 taps' products for 32 channels: acc_lo/acc_hi as laid out by the tap-pair packing. Two
/// chains per half (pairs 0, 2, 4 and 1, 3) halve the vpdpwssd dependency depth.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void accumulate(const __m512i x[9], const __m512i w[10],
                                                                              __m512i *acc_lo, __m512i *acc_hi) {
  const __m512i zero = _mm512_setzero_si512();
  __m512i lo_even = _mm512_dpwssd_epi32(zero, _mm512_unpacklo_epi16(x[0], x[1]), w[0]);
  __m512i hi_even = _mm512_dpwssd_epi32(zero, _mm512_unpackhi_epi16(x[0], x[1]), w[1]);
  __m512i lo_odd = _mm512_dpwssd_epi32(zero, _mm512_unpacklo_epi16(x[2], x[3]), w[2]);
  __m512i hi_odd = _mm512_dpwssd_epi32(zero, _mm512_unpackhi_epi16(x[2], x[3]), w[3]);
  lo_even = _mm512_dpwssd_epi32(lo_even, _mm512_unpacklo_epi16(x[4], x[5]), w[4]);
  hi_even = _mm512_dpwssd_epi32(hi_even, _mm512_unpackhi_epi16(x[4], x[5]), w[5]);
  lo_odd = _mm512_dpwssd_epi32(lo_odd, _mm512_unpacklo_epi16(x[6], x[7]), w[6]);
  hi_odd = _mm512_dpwssd_epi32(hi_odd, _mm512_unpackhi_epi16(x[6], x[7]), w[7]);
  lo_even = _mm512_dpwssd_epi32(lo_even, _mm512_unpacklo_epi16(x[8], zero), w[8]);
  hi_even = _mm512_dpwssd_epi32(hi_even, _mm512_unpackhi_epi16(x[8], zero), w[9]);
  *acc_lo = _mm512_add_epi32(lo_even, lo_odd);
  *acc_hi = _mm512_add_epi32(hi_even, hi_odd);
}

/// The whole depthwise convolution; `epilogue` NULL: the plain kernel, else the fused PReLU
/// epilogue, in int32 lanes when `narrow` (ffem_prelu_is_narrow); `plain`: ffem_requant_is_plain holds. Inlined into each entry point
/// with constant `epilogue == NULL` / `narrow`, so the plain kernel carries no PReLU code.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void dwconv3x3_c32(
    const ffem_qs8_conv3x3_geometry *g, const int8_t *input, const void *packed_weights, int8_t *output,
    const ffem_qs8_requant_params *params, const ffem_qs8_prelu_epilogue *epilogue, const int narrow, const int plain) {
  enum { CR = 32, PAIRS = 5 };
  // Locals: the output stores may alias anything reachable through `g`.
  const size_t channels = g->input_channels, input_width = g->input_width;
  const size_t output_height = g->output_height, output_width = g->output_width, stride = g->stride;
  const int64_t padding_left = g->padding_left;
  const ffem_output_stage16_avx512 stage16 =
      ffem_output_stage16_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  const __m512i zero_point = _mm512_set1_epi16((int16_t)g->input_zero_point);
  // Channel of each accumulator lane, as indices into the concatenation (channels 0-15 | 16-31).
  const __m512i lo_channels = _mm512_setr_epi32(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  const __m512i hi_channels = _mm512_setr_epi32(4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
  ffem_prelu_shared_avx512 prelu_shared;
  if (epilogue) prelu_shared = ffem_prelu_shared_avx512_make(narrow, params, epilogue->params);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += CR) {
    const size_t lanes = channels - c0 < CR ? channels - c0 : CR;
    const __mmask32 mask = (__mmask32)(lanes == 32 ? 0xFFFFFFFFu : (1u << lanes) - 1u);
    const __mmask16 mask0 = (__mmask16)(mask & 0xFFFF), mask1 = (__mmask16)(mask >> 16);
    const __m512i multiplier0 = _mm512_maskz_loadu_epi32(mask0, params->multiplier + c0);
    const __m512i multiplier1 = _mm512_maskz_loadu_epi32(mask1, params->multiplier + c0 + 16);
    const __m512i shift0 = _mm512_maskz_loadu_epi32(mask0, params->shift + c0);
    const __m512i shift1 = _mm512_maskz_loadu_epi32(mask1, params->shift + c0 + 16);
    const ffem_requant_avx512 r_lo =
        ffem_requant_prepare_avx512(_mm512_permutex2var_epi32(multiplier0, lo_channels, multiplier1),
                                    _mm512_permutex2var_epi32(shift0, lo_channels, shift1));
    const ffem_requant_avx512 r_hi =
        ffem_requant_prepare_avx512(_mm512_permutex2var_epi32(multiplier0, hi_channels, multiplier1),
                                    _mm512_permutex2var_epi32(shift0, hi_channels, shift1));
    ffem_prelu_channels_avx512 prelu_lo, prelu_hi;
    if (epilogue) {
      const ffem_prelu_raw_avx512 raw0 = ffem_prelu_raw_avx512_load(epilogue, c0, mask0);
      const ffem_prelu_raw_avx512 raw1 = ffem_prelu_raw_avx512_load(epilogue, c0 + 16, mask1);
      const ffem_prelu_raw_avx512 raw_lo = ffem_prelu_raw_avx512_permute(&raw0, lo_channels, &raw1);
      const ffem_prelu_raw_avx512 raw_hi = ffem_prelu_raw_avx512_permute(&raw0, hi_channels, &raw1);
      prelu_lo = ffem_prelu_channels_avx512_make(narrow, &raw_lo);
      prelu_hi = ffem_prelu_channels_avx512_make(narrow, &raw_hi);
    }
    const __m512i bias0 = _mm512_loadu_si512(block), bias1 = _mm512_loadu_si512(block + 64);
    const __m512i bias_lo = _mm512_permutex2var_epi32(bias0, lo_channels, bias1);
    const __m512i bias_hi = _mm512_permutex2var_epi32(bias0, hi_channels, bias1);
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
        const __m512i sum_lo = _mm512_add_epi32(acc_lo, bias_lo), sum_hi = _mm512_add_epi32(acc_hi, bias_hi);
        const __m512i m_lo = plain ? ffem_mbqm_plain_avx512(sum_lo, &r_lo) : ffem_mbqm_avx512(sum_lo, &r_lo);
        const __m512i m_hi = plain ? ffem_mbqm_plain_avx512(sum_hi, &r_hi) : ffem_mbqm_avx512(sum_hi, &r_hi);
        if (!epilogue) {
          // lo holds channels {0-3, 8-11, …} and hi {4-7, 12-15, …}: vpackssdw puts them in channel order.
          _mm256_mask_storeu_epi8(out, mask, _mm512_cvtepi16_epi8(ffem_output_pair16_avx512(m_lo, m_hi, &stage16)));
          continue;
        }
        const __m128i y_lo = ffem_prelu_output_avx512(narrow, m_lo, &prelu_shared, &prelu_lo);
        const __m128i y_hi = ffem_prelu_output_avx512(narrow, m_hi, &prelu_shared, &prelu_hi);
        const __m128i channels_0_15 = _mm_unpacklo_epi32(y_lo, y_hi), channels_16_31 = _mm_unpackhi_epi32(y_lo, y_hi);
        _mm256_mask_storeu_epi8(out, mask, _mm256_inserti128_si256(_mm256_castsi128_si256(channels_0_15), channels_16_31, 1));
      }
    }
    block += CR * sizeof(int32_t) + PAIRS * CR * 2 * sizeof(int16_t);
  }
}
#endif
#endif
