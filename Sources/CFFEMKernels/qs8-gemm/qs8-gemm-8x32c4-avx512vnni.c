// CFFEMKernels — ffem_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni: 8 rows × 32 columns per step, K in
// blocks of 4 (tile mr 8, nr 32, kr 4, input_xor 0x80; pack with ffem_x8_pack_gemm).
//
// vpdpbusd multiplies unsigned bytes by signed bytes, 4 per int32 lane. Each row's 4 int8 are
// broadcast to all lanes and flipped to uint8 by x ^ 0x80 = x + 128; the packer subtracted
// 128·Σ w from the bias, so acc = bias + Σ x·w exactly. One weight zmm holds 16 columns × 4 k.
// 16 accumulators hide the dot-product latency. Bound: |Σ (x+128)·w| ≤ 255·127·k < 2^31 for k < 2^16.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include <assert.h>
#include <string.h>

#include "../common/fixedpoint-avx512.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// 4 int8 of a row from k0 on (zero-filled past k), flipped to uint8 and broadcast.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline __m512i load_row4(const int8_t *a, size_t k0, size_t k) {
  int32_t quad = 0;
  memcpy(&quad, a + k0, k0 + 4 <= k ? 4 : k - k0);
  return _mm512_set1_epi32(quad ^ (int32_t)0x80808080);
}

TARGET_AVX512VNNI void ffem_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni(
    size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params) {
  enum { MR = 8, NR = 32, KR = 4 };
  assert(input_stride >= k && output_stride >= n);
  const size_t k_padded = (k + KR - 1) / KR * KR;
  const size_t k_full = k / KR * KR;
  const ffem_output_stage_avx512 stage =
      ffem_output_stage_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t n0 = 0; n0 < n; n0 += NR) {
    const size_t columns = n - n0 < NR ? n - n0 : NR;
    const __mmask32 store_mask = (__mmask32)(columns == 32 ? 0xFFFFFFFFu : (1u << columns) - 1u);
    const __mmask16 mask_lo = (__mmask16)(store_mask & 0xFFFF), mask_hi = (__mmask16)(store_mask >> 16);
    const ffem_requant_avx512 r_lo = ffem_requant_prepare_avx512(
        _mm512_maskz_loadu_epi32(mask_lo, params->multiplier + n0), _mm512_maskz_loadu_epi32(mask_lo, params->shift + n0));
    const ffem_requant_avx512 r_hi =
        ffem_requant_prepare_avx512(_mm512_maskz_loadu_epi32(mask_hi, params->multiplier + n0 + 16),
                                    _mm512_maskz_loadu_epi32(mask_hi, params->shift + n0 + 16));
    const __m512i bias_lo = _mm512_loadu_si512(block), bias_hi = _mm512_loadu_si512(block + 64);
    const int8_t *weights = (const int8_t *)(block + NR * sizeof(int32_t));
    for (size_t m0 = 0; m0 < m; m0 += MR) {
      const size_t rows = m - m0 < MR ? m - m0 : MR;
      // Rows past m alias the last real row: computed twice, stored once.
      const int8_t *a[MR];
      a[0] = input + m0 * input_stride;
      for (size_t i = 1; i < MR; i++) a[i] = i < rows ? a[i - 1] + input_stride : a[i - 1];
      __m512i lo0 = bias_lo, lo1 = bias_lo, lo2 = bias_lo, lo3 = bias_lo, lo4 = bias_lo, lo5 = bias_lo,
              lo6 = bias_lo, lo7 = bias_lo;
      __m512i hi0 = bias_hi, hi1 = bias_hi, hi2 = bias_hi, hi3 = bias_hi, hi4 = bias_hi, hi5 = bias_hi,
              hi6 = bias_hi, hi7 = bias_hi;
      const int8_t *w = weights;
      const __m512i flip = _mm512_set1_epi32((int32_t)0x80808080);
#define FFEM_ROW_STEP(i, va)                   \
  lo##i = _mm512_dpbusd_epi32(lo##i, va, w_lo); \
  hi##i = _mm512_dpbusd_epi32(hi##i, va, w_hi);
      size_t k0 = 0;
      for (; k0 < k_full; k0 += KR) {
        const __m512i w_lo = _mm512_loadu_si512(w), w_hi = _mm512_loadu_si512(w + 64);
        int32_t q[MR];
        for (size_t i = 0; i < MR; i++) memcpy(&q[i], a[i] + k0, 4);
        FFEM_ROW_STEP(0, _mm512_xor_si512(_mm512_set1_epi32(q[0]), flip))
        FFEM_ROW_STEP(1, _mm512_xor_si512(_mm512_set1_epi32(q[1]), flip))
        FFEM_ROW_STEP(2, _mm512_xor_si512(_mm512_set1_epi32(q[2]), flip))
        FFEM_ROW_STEP(3, _mm512_xor_si512(_mm512_set1_epi32(q[3]), flip))
        FFEM_ROW_STEP(4, _mm512_xor_si512(_mm512_set1_epi32(q[4]), flip))
        FFEM_ROW_STEP(5, _mm512_xor_si512(_mm512_set1_epi32(q[5]), flip))
        FFEM_ROW_STEP(6, _mm512_xor_si512(_mm512_set1_epi32(q[6]), flip))
        FFEM_ROW_STEP(7, _mm512_xor_si512(_mm512_set1_epi32(q[7]), flip))
        w += NR * KR;
      }
      if (k0 < k_padded) {
        const __m512i w_lo = _mm512_loadu_si512(w), w_hi = _mm512_loadu_si512(w + 64);
        FFEM_ROW_STEP(0, load_row4(a[0], k0, k))
        FFEM_ROW_STEP(1, load_row4(a[1], k0, k))
        FFEM_ROW_STEP(2, load_row4(a[2], k0, k))
        FFEM_ROW_STEP(3, load_row4(a[3], k0, k))
        FFEM_ROW_STEP(4, load_row4(a[4], k0, k))
        FFEM_ROW_STEP(5, load_row4(a[5], k0, k))
        FFEM_ROW_STEP(6, load_row4(a[6], k0, k))
        FFEM_ROW_STEP(7, load_row4(a[7], k0, k))
      }
#undef FFEM_ROW_STEP
      const __m512i lo[MR] = {lo0, lo1, lo2, lo3, lo4, lo5, lo6, lo7};
      const __m512i hi[MR] = {hi0, hi1, hi2, hi3, hi4, hi5, hi6, hi7};
      for (size_t i = 0; i < rows; i++) {
        const __m128i out_lo = ffem_output_avx512(ffem_mbqm_avx512(lo[i], &r_lo), &stage);
        const __m128i out_hi = ffem_output_avx512(ffem_mbqm_avx512(hi[i], &r_hi), &stage);
        _mm256_mask_storeu_epi8(output + (m0 + i) * output_stride + n0, store_mask,
                                _mm256_inserti128_si256(_mm256_castsi128_si256(out_lo), out_hi, 1));
      }
    }
    block += NR * sizeof(int32_t) + k_padded * NR;
  }
}
#endif
