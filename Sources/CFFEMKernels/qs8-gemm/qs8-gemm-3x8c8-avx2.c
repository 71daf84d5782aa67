// CFFEMKernels — ffem_qs8_gemm_minmax_ukernel_3x8c8__avx2: 3 rows × 8 columns per step, K in blocks
// of 8 (tile mr 3, nr 8, kr 8; pack with ffem_x8_pack_gemm). A row's 8 int8 are widened to int16
// and broadcast to both 128-bit halves; one ymm of weights holds two columns (8 int16 each), so
// vpmaddwd gives 4 partial sums for each of two columns. Products ≤ 2^14, pairs ≤ 2^15: exact.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <assert.h>
#include <string.h>

#include "../common/fixedpoint-avx2.h"
#include "../common/partial-copy.h"

/// 8 int8 of a row from k0 on (zero-filled past k), as int16 in both halves.
__attribute__((target("avx2"), always_inline)) static inline __m256i load_row8(const int8_t *a, size_t k0, size_t k) {
  __m128i bytes;
  if (k0 + 8 <= k) {
    bytes = _mm_loadl_epi64((const __m128i *)(a + k0));
  } else {
    int8_t tail[8] = {0};
    memcpy(tail, a + k0, k - k0);
    bytes = _mm_loadl_epi64((const __m128i *)tail);
  }
  return _mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(bytes));
}

__attribute__((target("avx2"))) void ffem_qs8_gemm_minmax_ukernel_3x8c8__avx2(
    size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params) {
  enum { MR = 3, NR = 8, KR = 8 };
  assert(input_stride >= k && output_stride >= n);
  const size_t k_padded = (k + KR - 1) / KR * KR;
  const ffem_output_stage_avx2 stage =
      ffem_output_stage_avx2_make(params->output_zero_point, params->output_min, params->output_max);
  // hadd(hadd(p01, p23), hadd(p45, p67)) leaves columns in the order 0 2 4 6 | 1 3 5 7.
  const __m256i column_order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t n0 = 0; n0 < n; n0 += NR) {
    const size_t columns = n - n0 < NR ? n - n0 : NR;
    int32_t bias[NR], multiplier[NR] = {0}, shift[NR] = {0};
    memcpy(bias, block, sizeof(bias));
    memcpy(multiplier, params->multiplier + n0, columns * sizeof(int32_t));
    memcpy(shift, params->shift + n0, columns * sizeof(int32_t));
    const ffem_requant_avx2 r = ffem_requant_prepare_avx2(_mm256_loadu_si256((const __m256i *)multiplier),
                                                          _mm256_loadu_si256((const __m256i *)shift));
    const __m256i vbias = _mm256_loadu_si256((const __m256i *)bias);
    const int8_t *weights = (const int8_t *)(block + sizeof(bias));
    for (size_t m0 = 0; m0 < m; m0 += MR) {
      const size_t rows = m - m0 < MR ? m - m0 : MR;
      const int8_t *a0 = input + m0 * input_stride;
      const int8_t *a1 = rows > 1 ? a0 + input_stride : a0;
      const int8_t *a2 = rows > 2 ? a1 + input_stride : a1;
      __m256i acc[MR][NR / 2];
      for (size_t i = 0; i < MR; i++) {
        for (size_t j = 0; j < NR / 2; j++) acc[i][j] = _mm256_setzero_si256();
      }
      const int8_t *w = weights;
      for (size_t k0 = 0; k0 < k_padded; k0 += KR) {
        const __m256i va0 = load_row8(a0, k0, k), va1 = load_row8(a1, k0, k), va2 = load_row8(a2, k0, k);
        for (size_t j = 0; j < NR / 2; j++) {
          const __m256i vw = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + 16 * j)));
          acc[0][j] = _mm256_add_epi32(acc[0][j], _mm256_madd_epi16(va0, vw));
          acc[1][j] = _mm256_add_epi32(acc[1][j], _mm256_madd_epi16(va1, vw));
          acc[2][j] = _mm256_add_epi32(acc[2][j], _mm256_madd_epi16(va2, vw));
        }
        w += NR * KR;
      }
      for (size_t i = 0; i < rows; i++) {
        const __m256i sums = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[i][0], acc[i][1]),
                                               _mm256_hadd_epi32(acc[i][2], acc[i][3]));
        const __m256i total = _mm256_add_epi32(_mm256_permutevar8x32_epi32(sums, column_order), vbias);
        const __m256i y = ffem_output_avx2(ffem_mbqm_avx2(total, &r), &stage);
        int8_t bytes[16];
        _mm_storeu_si128((__m128i *)bytes, ffem_narrow_s32_to_s8_avx2(y));
        ffem_copy_partial(output + (m0 + i) * output_stride + n0, bytes, columns, 8);
      }
    }
    block += sizeof(bias) + k_padded * NR;
  }
}
#endif
