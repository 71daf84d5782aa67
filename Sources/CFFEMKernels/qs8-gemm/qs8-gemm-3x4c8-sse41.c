// CFFEMKernels — ffem_qs8_gemm_minmax_ukernel_3x4c8__sse41: 3 rows × 4 columns per step, K in blocks
// of 8 (tile mr 3, nr 4, kr 8; pack with ffem_x8_pack_gemm). pmovsxbw widens 8 int8 of a row and
// of a column to int16 and pmaddwd sums pairs into 4 int32 partial sums per (row, column); the
// partials are reduced with phaddd at the end. Products are ≤ 2^14 and pairs ≤ 2^15: exact.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <assert.h>
#include <string.h>

#include "../common/fixedpoint-sse41.h"
#include "../common/partial-copy.h"

/// 8 int8 of a row from k0 on, zero-filled past `k` (never reads beyond the row).
__attribute__((target("sse4.1"), always_inline)) static inline __m128i load_row8(const int8_t *a, size_t k0,
                                                                                 size_t k) {
  if (k0 + 8 <= k) return _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(a + k0)));
  int8_t tail[8] = {0};
  memcpy(tail, a + k0, k - k0);
  return _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)tail));
}

__attribute__((target("sse4.1"))) void ffem_qs8_gemm_minmax_ukernel_3x4c8__sse41(
    size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params) {
  enum { MR = 3, NR = 4, KR = 8 };
  assert(input_stride >= k && output_stride >= n);
  const size_t k_padded = (k + KR - 1) / KR * KR;
  const ffem_output_stage_sse41 stage =
      ffem_output_stage_sse41_make(params->output_zero_point, params->output_min, params->output_max);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t n0 = 0; n0 < n; n0 += NR) {
    const size_t columns = n - n0 < NR ? n - n0 : NR;
    int32_t bias[NR], multiplier[NR] = {0}, shift[NR] = {0};
    memcpy(bias, block, sizeof(bias));
    memcpy(multiplier, params->multiplier + n0, columns * sizeof(int32_t));
    memcpy(shift, params->shift + n0, columns * sizeof(int32_t));
    const ffem_requant_sse41 r = ffem_requant_prepare_sse41(_mm_loadu_si128((const __m128i *)multiplier),
                                                            _mm_loadu_si128((const __m128i *)shift));
    const int8_t *weights = (const int8_t *)(block + sizeof(bias));
    for (size_t m0 = 0; m0 < m; m0 += MR) {
      const size_t rows = m - m0 < MR ? m - m0 : MR;
      // Rows past m alias the last real row: computed twice, stored once.
      const int8_t *a0 = input + m0 * input_stride;
      const int8_t *a1 = rows > 1 ? a0 + input_stride : a0;
      const int8_t *a2 = rows > 2 ? a1 + input_stride : a1;
      __m128i acc[MR][NR];
      for (size_t i = 0; i < MR; i++) {
        for (size_t j = 0; j < NR; j++) acc[i][j] = _mm_cvtsi32_si128(bias[j]);
      }
      const int8_t *w = weights;
      for (size_t k0 = 0; k0 < k_padded; k0 += KR) {
        const __m128i va0 = load_row8(a0, k0, k), va1 = load_row8(a1, k0, k), va2 = load_row8(a2, k0, k);
        const __m128i w01 = _mm_loadu_si128((const __m128i *)w);
        const __m128i w23 = _mm_loadu_si128((const __m128i *)(w + 16));
        const __m128i vw[NR] = {_mm_cvtepi8_epi16(w01), _mm_cvtepi8_epi16(_mm_srli_si128(w01, 8)),
                                _mm_cvtepi8_epi16(w23), _mm_cvtepi8_epi16(_mm_srli_si128(w23, 8))};
        for (size_t j = 0; j < NR; j++) {
          acc[0][j] = _mm_add_epi32(acc[0][j], _mm_madd_epi16(va0, vw[j]));
          acc[1][j] = _mm_add_epi32(acc[1][j], _mm_madd_epi16(va1, vw[j]));
          acc[2][j] = _mm_add_epi32(acc[2][j], _mm_madd_epi16(va2, vw[j]));
        }
        w += NR * KR;
      }
      for (size_t i = 0; i < rows; i++) {
        const __m128i sums = _mm_hadd_epi32(_mm_hadd_epi32(acc[i][0], acc[i][1]), _mm_hadd_epi32(acc[i][2], acc[i][3]));
        const __m128i y = ffem_output_sse41(ffem_mbqm_sse41(sums, &r), &stage);
        const __m128i words = _mm_packs_epi32(y, y);
        const int32_t bytes = _mm_cvtsi128_si32(_mm_packs_epi16(words, words));
        ffem_copy_partial(output + (m0 + i) * output_stride + n0, &bytes, columns, 4);
      }
    }
    block += sizeof(bias) + k_padded * NR;
  }
}
#endif
