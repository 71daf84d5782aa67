// CFFEMKernels — ffem_qs8_gdconv_minmax_ukernel_c32__avx512vnni: global depthwise convolution, 32
// channels per step (tile cr 32, FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS with taps = pixels). Two
// pixels' int16 inputs are interleaved (vpunpck{l,h}wd) and vpdpwssd accumulates both products
// per channel; |x·w| ≤ 128·127 and pixels·2^14 < 2^31 for pixels < 2^17: exact.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "../common/fixedpoint-avx512.h"

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void ffem_qs8_gdconv_minmax_ukernel_c32__avx512vnni(
    size_t pixels, size_t channels, const int8_t *input, const void *packed_weights, int8_t *output,
    const ffem_qs8_requant_params *params) {
  enum { CR = 32 };
  const ffem_output_stage_avx512 stage =
      ffem_output_stage_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  const __m512i order0 = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
  const __m512i order1 = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
  const size_t pairs = (pixels + 1) / 2;
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += CR) {
    const size_t lanes = channels - c0 < CR ? channels - c0 : CR;
    const __mmask32 mask = (__mmask32)(lanes == 32 ? 0xFFFFFFFFu : (1u << lanes) - 1u);
    const __mmask16 mask0 = (__mmask16)(mask & 0xFFFF), mask1 = (__mmask16)(mask >> 16);
    const __m512i *w = (const __m512i *)(block + CR * sizeof(int32_t));
    __m512i acc_lo = _mm512_setzero_si512(), acc_hi = _mm512_setzero_si512();
    for (size_t p = 0; p < pairs; p++) {
      const __m512i x0 = _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, input + 2 * p * channels + c0));
      const __m512i x1 = 2 * p + 1 < pixels
                             ? _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, input + (2 * p + 1) * channels + c0))
                             : _mm512_setzero_si512();
      acc_lo = _mm512_dpwssd_epi32(acc_lo, _mm512_unpacklo_epi16(x0, x1), _mm512_loadu_si512(w + 2 * p));
      acc_hi = _mm512_dpwssd_epi32(acc_hi, _mm512_unpackhi_epi16(x0, x1), _mm512_loadu_si512(w + 2 * p + 1));
    }
    const __m512i acc0 = _mm512_add_epi32(_mm512_permutex2var_epi64(acc_lo, order0, acc_hi), _mm512_loadu_si512(block));
    const __m512i acc1 = _mm512_add_epi32(_mm512_permutex2var_epi64(acc_lo, order1, acc_hi), _mm512_loadu_si512(block + 64));
    const ffem_requant_avx512 r0 = ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask0, params->multiplier + c0),
                                                               _mm512_maskz_loadu_epi32(mask0, params->shift + c0));
    const ffem_requant_avx512 r1 =
        ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask1, params->multiplier + c0 + 16),
                                    _mm512_maskz_loadu_epi32(mask1, params->shift + c0 + 16));
    const __m128i y0 = ffem_output_avx512(ffem_mbqm_avx512(acc0, &r0), &stage);
    const __m128i y1 = ffem_output_avx512(ffem_mbqm_avx512(acc1, &r1), &stage);
    _mm256_mask_storeu_epi8(output + c0, mask, _mm256_inserti128_si256(_mm256_castsi128_si256(y0), y1, 1));
    block += CR * sizeof(int32_t) + pairs * CR * 2 * sizeof(int16_t);
  }
}
#endif
