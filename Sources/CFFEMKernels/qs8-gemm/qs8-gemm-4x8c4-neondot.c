// CFFEMKernels — ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot: 1×1 convolution / FC with the
// ARMv8.2 dot product (SDOT; Pi 5, Cortex-A76), tile mr 4, nr 8, kr 4.
//
// Computes, for every row i < m and column j < n,
//   output[i][j] = requant_j(packed_bias[j] + Σ_k input[i][k] · w[j][k])
// bit-exactly as ffem_qs8_gemm_minmax_ukernel_1x4__scalar. `vdotq_lane_s32(acc, w, a, l)` adds to
// int32 lane j the four exact products w[j][4b..4b+3] · a[4l..4l+3], so the int32 sum is the
// scalar one in another order (int32 addition is associative; no intermediate is narrower than
// int32). Bound: |acc| ≤ |packed_bias| + k·128·127, inside int32 for k ≤ 2^16.
//
// Packed weights (ffem_x8_pack_gemm, nr 8, kr 4): per block of 8 output channels, 8 int32 biases,
// then per group of 4 input channels (K zero-padded to a multiple of 4) 32 bytes:
// w[n0][k..k+3], w[n0+1][k..k+3], …, w[n0+7][k..k+3] — two 16-byte vectors, columns 0–3 and 4–7.
// The last partial group of a row is read through a zero-filled 4-byte copy, so nothing past the
// row's k-th element is read; a block of fewer than 4 rows computes only its rows.
//
// Compiled with a per-function target attribute; the table offers it only with HWCAP_ASIMDDP.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__)
#include <assert.h>
#include <string.h>

#include "../common/fixedpoint-neon.h"

#define FFEM_TARGET_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))

/// Four int8 lanes a[0..count−1] (count ≤ 4) in lanes 0–3 of an int8x8, zeros elsewhere.
static inline int8x8_t load_group_partial(const int8_t *a, size_t count) {
  int32_t word = 0;
  memcpy(&word, a, count);
  return vreinterpret_s8_s32(vdup_n_s32(word));
}

/// `rows` ∈ [1, 4] rows starting at `input` against every column. Always inlined with a constant
/// `rows`, so that the 1-, 2- and 3-row remainders (and FC layers, m = 1) do only their own work.
static inline FFEM_TARGET_DOTPROD __attribute__((always_inline)) void gemm_rows(
    const size_t rows, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params, const ffem_neon_output *out) {
  const size_t k_padded = (k + 3) & ~(size_t)3;
  const size_t block_bytes = 8 * sizeof(int32_t) + 8 * k_padded;
  const int8_t *block = (const int8_t *)packed_weights;
  for (size_t n0 = 0; n0 < n; n0 += 8, block += block_bytes) {
    const int32x4_t bias_lo = ffem_neon_load_s32_unaligned(block);
    const int32x4_t bias_hi = ffem_neon_load_s32_unaligned(block + 16);
    int32x4_t acc[4][2];
    const int8_t *a[4];
    _Pragma("GCC unroll 4") for (size_t r = 0; r < rows; r++) {
      acc[r][0] = bias_lo;
      acc[r][1] = bias_hi;
      a[r] = input + r * input_stride;
    }
    const int8_t *w = block + 8 * sizeof(int32_t);
    size_t kk = k;
    for (; kk >= 8; kk -= 8) {
      const int8x16_t w0123_g0 = vld1q_s8(w);
      const int8x16_t w4567_g0 = vld1q_s8(w + 16);
      const int8x16_t w0123_g1 = vld1q_s8(w + 32);
      const int8x16_t w4567_g1 = vld1q_s8(w + 48);
      w += 64;
      _Pragma("GCC unroll 4") for (size_t r = 0; r < rows; r++) {
        const int8x8_t va = vld1_s8(a[r]);
        a[r] += 8;
        acc[r][0] = vdotq_lane_s32(acc[r][0], w0123_g0, va, 0);
        acc[r][1] = vdotq_lane_s32(acc[r][1], w4567_g0, va, 0);
        acc[r][0] = vdotq_lane_s32(acc[r][0], w0123_g1, va, 1);
        acc[r][1] = vdotq_lane_s32(acc[r][1], w4567_g1, va, 1);
      }
    }
    while (kk > 0) {
      const size_t count = kk < 4 ? kk : 4;
      const int8x16_t w0123 = vld1q_s8(w);
      const int8x16_t w4567 = vld1q_s8(w + 16);
      w += 32;
      _Pragma("GCC unroll 4") for (size_t r = 0; r < rows; r++) {
        const int8x8_t va = load_group_partial(a[r], count);
        a[r] += count;
        acc[r][0] = vdotq_lane_s32(acc[r][0], w0123, va, 0);
        acc[r][1] = vdotq_lane_s32(acc[r][1], w4567, va, 0);
      }
      kk -= count;
    }
    const size_t columns = n - n0 < 8 ? n - n0 : 8;
    const ffem_neon_requant4 q_lo =
        ffem_neon_requant4_load_partial(params->multiplier + n0, params->shift + n0, columns);
    const ffem_neon_requant4 q_hi =
        columns > 4 ? ffem_neon_requant4_load_partial(params->multiplier + n0 + 4, params->shift + n0 + 4, columns - 4)
                    : q_lo;
    _Pragma("GCC unroll 4") for (size_t r = 0; r < rows; r++) {
      const int8x8_t v = ffem_neon_output8(ffem_neon_scale(acc[r][0], &q_lo), ffem_neon_scale(acc[r][1], &q_hi), out);
      ffem_neon_store_partial8(output + r * output_stride + n0, v, columns);
    }
  }
}

FFEM_TARGET_DOTPROD
void ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot(size_t m, size_t n, size_t k, const int8_t *input,
                                                 size_t input_stride, const void *packed_weights, int8_t *output,
                                                 size_t output_stride, const ffem_qs8_requant_params *params) {
  assert(input_stride >= k && output_stride >= n);
  const ffem_neon_output out = ffem_neon_output_init(params->output_zero_point, params->output_min,
                                                     params->output_max);
  size_t i0 = 0;
  for (; i0 + 4 <= m; i0 += 4) {
    gemm_rows(4, n, k, input + i0 * input_stride, input_stride, packed_weights, output + i0 * output_stride,
              output_stride, params, &out);
  }
  const int8_t *a = input + i0 * input_stride;
  int8_t *c = output + i0 * output_stride;
  switch (m - i0) {
    case 3: gemm_rows(3, n, k, a, input_stride, packed_weights, c, output_stride, params, &out); break;
    case 2: gemm_rows(2, n, k, a, input_stride, packed_weights, c, output_stride, params, &out); break;
    case 1: gemm_rows(1, n, k, a, input_stride, packed_weights, c, output_stride, params, &out); break;
    default: break;
  }
}
#endif
