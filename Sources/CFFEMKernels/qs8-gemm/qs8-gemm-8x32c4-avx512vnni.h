// CFFEMKernels — the 8x32c4 AVX-512 VNNI GEMM, shared by the plain kernel and its fused-PReLU twin. Internal.
//
// vpdpbusd multiplies unsigned bytes by signed bytes, 4 per int32 lane. Each row's 4 int8 are
// broadcast to all lanes and flipped to uint8 by x ^ 0x80 = x + 128; the packer subtracted
// 128·Σ w from the bias, so acc = bias + Σ x·w exactly. One weight zmm holds 16 columns × 4 k.
// 16 accumulators hide the dot-product latency; the last rows run in a 4-, 2- or 1-row tile.
// Bound: |Σ (x+128)·w| ≤ 255·127·k < 2^31 for k < 2^16.
#ifndef FFEM_QS8_GEMM_8X32C4_AVX512VNNI_H
#define FFEM_QS8_GEMM_8X32C4_AVX512VNNI_H
#if defined(__x86_64__)
#include <assert.h>
#include <string.h>

#include "../common/prelu-epilogue-avx512.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// 4 int8 of a row from k0 on (zero-filled past k), flipped to uint8 and broadcast.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline __m512i load_row4(const int8_t *a, size_t k0, size_t k) {
  int32_t quad = 0;
  memcpy(&quad, a + k0, k0 + 4 <= k ? 4 : k - k0);
  return _mm512_set1_epi32(quad ^ (int32_t)0x80808080);
}

/// The requantization of 16 columns: ffem_mbqm_right_avx512 when every shift of the layer is ≤ −1
/// (`right_shift`, a constant at every call: the quantizer's 1×1 layers), else ffem_mbqm_avx512.
typedef struct gemm_requant {
  int right_shift;
  ffem_requant_avx512 general;
  ffem_requant_right_avx512 right;
} gemm_requant;

TARGET_AVX512VNNI __attribute__((always_inline)) static inline gemm_requant gemm_requant_make(int right_shift, __m512i multiplier,
                                                                                            __m512i shift) {
  gemm_requant r;
  r.right_shift = right_shift;
  if (right_shift) {
    r.right = ffem_requant_right_prepare_avx512(multiplier, shift);
  } else {
    r.general = ffem_requant_prepare_avx512(multiplier, shift);
  }
  return r;
}

TARGET_AVX512VNNI __attribute__((always_inline)) static inline __m512i gemm_mbqm(__m512i x, const gemm_requant *r) {
  return r->right_shift ? ffem_mbqm_right_avx512(x, &r->right) : ffem_mbqm_avx512(x, &r->general);
}

/// One block of 32 columns for `rows` ≤ R rows starting at `a0` (R a constant at every call, so
/// the accumulator arrays live in registers); rows past `rows` alias the last real row and are
/// not stored.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void tile(
    const int narrow, const size_t R, size_t rows, size_t k, const int8_t *a0, size_t input_stride, const int8_t *weights,
    __m512i bias_lo, __m512i bias_hi, const gemm_requant *r_lo, const gemm_requant *r_hi,
    const ffem_output_stage16_avx512 *stage, const ffem_prelu_shared_avx512 *prelu,
    const ffem_prelu_channels_avx512 *prelu_lo, const ffem_prelu_channels_avx512 *prelu_hi, int8_t *c0,
    size_t output_stride, __mmask32 store_mask) {
  enum { NR = 32, KR = 4 };
  const size_t k_full = k / KR * KR;
  const int8_t *a[8];
  __m512i lo[8], hi[8];
#pragma clang loop unroll(full)
  for (size_t i = 0; i < R; i++) {
    a[i] = i == 0 ? a0 : (i < rows ? a[i - 1] + input_stride : a[i - 1]);
    lo[i] = bias_lo;
    hi[i] = bias_hi;
  }
  const __m512i flip = _mm512_set1_epi32((int32_t)0x80808080);
  const int8_t *w = weights;
  size_t k0 = 0;
  for (; k0 < k_full; k0 += KR) {
    const __m512i w_lo = _mm512_loadu_si512(w), w_hi = _mm512_loadu_si512(w + 64);
#pragma clang loop unroll(full)
    for (size_t i = 0; i < R; i++) {
      int32_t quad;
      memcpy(&quad, a[i] + k0, 4);
      const __m512i va = _mm512_xor_si512(_mm512_set1_epi32(quad), flip);
      lo[i] = _mm512_dpbusd_epi32(lo[i], va, w_lo);
      hi[i] = _mm512_dpbusd_epi32(hi[i], va, w_hi);
    }
    w += NR * KR;
  }
  if (k0 < k) {
    const __m512i w_lo = _mm512_loadu_si512(w), w_hi = _mm512_loadu_si512(w + 64);
#pragma clang loop unroll(full)
    for (size_t i = 0; i < R; i++) {
      const __m512i va = load_row4(a[i], k0, k);
      lo[i] = _mm512_dpbusd_epi32(lo[i], va, w_lo);
      hi[i] = _mm512_dpbusd_epi32(hi[i], va, w_hi);
    }
  }
#pragma clang loop unroll(full)
  for (size_t i = 0; i < R; i++) {
    if (i >= rows) break;
    const __m512i y_lo = gemm_mbqm(lo[i], r_lo), y_hi = gemm_mbqm(hi[i], r_hi);
    if (!prelu) {
      // vpackssdw interleaves columns 0-3, 16-19, 4-7, …: vpermq restores column order.
      const __m512i columns = _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7),
                                                       ffem_output_pair16_avx512(y_lo, y_hi, stage));
      _mm256_mask_storeu_epi8(c0 + i * output_stride, store_mask, _mm512_cvtepi16_epi8(columns));
      continue;
    }
    const __m128i out_lo = ffem_prelu_output_avx512(narrow, y_lo, prelu, prelu_lo);
    const __m128i out_hi = ffem_prelu_output_avx512(narrow, y_hi, prelu, prelu_hi);
    _mm256_mask_storeu_epi8(c0 + i * output_stride, store_mask,
                            _mm256_inserti128_si256(_mm256_castsi128_si256(out_lo), out_hi, 1));
  }
}

/// The whole GEMM; `epilogue` NULL: the plain kernel, else the fused PReLU epilogue, in int32
/// lanes when `narrow` (ffem_prelu_is_narrow); `right_shift`: ffem_requant_is_right_shift holds.
/// Inlined into each entry point with constant `epilogue == NULL` / `narrow` / `right_shift`, so the
/// plain kernel carries no PReLU code.
TARGET_AVX512VNNI __attribute__((always_inline)) static inline void gemm_8x32c4(
    size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params, const ffem_qs8_prelu_epilogue *epilogue,
    const int narrow, const int right_shift) {
  enum { MR = 8, NR = 32, KR = 4 };
  assert(input_stride >= k && output_stride >= n);
  const size_t k_padded = (k + KR - 1) / KR * KR;
  const ffem_output_stage16_avx512 stage =
      ffem_output_stage16_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  ffem_prelu_shared_avx512 prelu_shared;
  if (epilogue) prelu_shared = ffem_prelu_shared_avx512_make(narrow, params, epilogue->params);
  const ffem_prelu_shared_avx512 *prelu = epilogue ? &prelu_shared : NULL;
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t n0 = 0; n0 < n; n0 += NR) {
    const size_t columns = n - n0 < NR ? n - n0 : NR;
    const __mmask32 store_mask = (__mmask32)(columns == 32 ? 0xFFFFFFFFu : (1u << columns) - 1u);
    const __mmask16 mask_lo = (__mmask16)(store_mask & 0xFFFF), mask_hi = (__mmask16)(store_mask >> 16);
    // Columns past n get shift −1, which keeps the right-shift form's e ≥ 1 in every lane.
    const __m512i right = _mm512_set1_epi32(-1);
    const gemm_requant r_lo = gemm_requant_make(right_shift, _mm512_maskz_loadu_epi32(mask_lo, params->multiplier + n0),
                                                _mm512_mask_loadu_epi32(right, mask_lo, params->shift + n0));
    const gemm_requant r_hi = gemm_requant_make(right_shift, _mm512_maskz_loadu_epi32(mask_hi, params->multiplier + n0 + 16),
                                                _mm512_mask_loadu_epi32(right, mask_hi, params->shift + n0 + 16));
    ffem_prelu_channels_avx512 prelu_lo, prelu_hi;
    if (epilogue) {
      const ffem_prelu_raw_avx512 raw_lo = ffem_prelu_raw_avx512_load(epilogue, n0, mask_lo);
      const ffem_prelu_raw_avx512 raw_hi = ffem_prelu_raw_avx512_load(epilogue, n0 + 16, mask_hi);
      prelu_lo = ffem_prelu_channels_avx512_make(narrow, &raw_lo);
      prelu_hi = ffem_prelu_channels_avx512_make(narrow, &raw_hi);
    }
    const __m512i bias_lo = _mm512_loadu_si512(block), bias_hi = _mm512_loadu_si512(block + 64);
    const int8_t *weights = (const int8_t *)(block + NR * sizeof(int32_t));
    size_t m0 = 0;
    for (; m0 + MR <= m; m0 += MR) {
      tile(narrow, 8, 8, k, input + m0 * input_stride, input_stride, weights, bias_lo, bias_hi, &r_lo, &r_hi, &stage, prelu,
           &prelu_lo, &prelu_hi, output + m0 * output_stride + n0, output_stride, store_mask);
    }
    // The last rows in the smallest of the 4-, 2- and 1-row tiles that holds them (FC layers: 1 row).
    const size_t rows = m - m0;
    if (rows > 4) {
      tile(narrow, 8, rows, k, input + m0 * input_stride, input_stride, weights, bias_lo, bias_hi, &r_lo, &r_hi, &stage, prelu,
           &prelu_lo, &prelu_hi, output + m0 * output_stride + n0, output_stride, store_mask);
    } else if (rows > 2) {
      tile(narrow, 4, rows, k, input + m0 * input_stride, input_stride, weights, bias_lo, bias_hi, &r_lo, &r_hi, &stage, prelu,
           &prelu_lo, &prelu_hi, output + m0 * output_stride + n0, output_stride, store_mask);
    } else if (rows == 2) {
      tile(narrow, 2, rows, k, input + m0 * input_stride, input_stride, weights, bias_lo, bias_hi, &r_lo, &r_hi, &stage, prelu,
           &prelu_lo, &prelu_hi, output + m0 * output_stride + n0, output_stride, store_mask);
    } else if (rows == 1) {
      tile(narrow, 1, rows, k, input + m0 * input_stride, input_stride, weights, bias_lo, bias_hi, &r_lo, &r_hi, &stage, prelu,
           &prelu_lo, &prelu_hi, output + m0 * output_stride + n0, output_stride, store_mask);
    }
    block += NR * sizeof(int32_t) + k_padded * NR;
  }
}
#endif
#endif
