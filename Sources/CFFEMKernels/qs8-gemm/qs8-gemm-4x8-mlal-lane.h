// CFFEMKernels — the body of the 4x8 NEON GEMM (tile mr 4, nr 8, kr 1), shared by the AArch64
// `neon` and the 32-bit `armv7neon` kernels: it uses only intrinsics both instruction sets have.
//
// Computes, for every row i < m and column j < n,
//   output[i][j] = requant_j(packed_bias[j] + Σ_k input[i][k] · w[j][k])
// exactly as ffem_qs8_gemm_minmax_ukernel_1x4__scalar does. Inputs and weights are sign-extended
// to int16 and multiplied into int32 lanes with `vmlal_lane_s16` (SMLAL by element): each product
// is exact (|x·w| ≤ 128·128) and accumulates in int32 like the scalar sum; the bound
// |acc| ≤ |packed_bias| + k·128·127 keeps it inside int32 for k ≤ 2^16 (as the oracle assumes).
//
// Packed weights (ffem_x8_pack_gemm, nr 8, kr 1): per block of 8 output channels, 8 int32 biases,
// then for every k the 8 weights w[n0..n0+7][k]. A block of fewer than 4 rows computes only its rows;
// columns past n are zero weights whose results are never stored. Nothing is read past input row
// i's k-th element, nor past params' n-th channel.
#ifndef FFEM_QS8_GEMM_4X8_MLAL_LANE_H
#define FFEM_QS8_GEMM_4X8_MLAL_LANE_H

#include <assert.h>

#include "../common/fixedpoint-neon.h"
#include "ffem_qs8.h"

/// acc[r] += a[r][l] · w_l for r < rows, w_l the int16 weights of k step l (one SMLAL per half).
#define FFEM_GEMM_4X8_MLAL_STEP(acc, va, vw, half, lane, rows)                                   \
  do {                                                                                           \
    _Pragma("GCC unroll 4") for (size_t r_ = 0; r_ < (rows); r_++) {                             \
      acc[r_][0] = vmlal_lane_s16(acc[r_][0], vget_low_s16(vw), vget_##half##_s16(va[r_]), lane);  \
      acc[r_][1] = vmlal_lane_s16(acc[r_][1], vget_high_s16(vw), vget_##half##_s16(va[r_]), lane); \
    }                                                                                            \
  } while (0)

/// `rows` ∈ [1, 4] rows starting at `input` against every column. Always inlined with a constant
/// `rows`, so that the 1-, 2- and 3-row remainders (and FC layers, m = 1) do only their own work.
static inline __attribute__((always_inline)) void ffem_qs8_gemm_4x8_mlal_lane_rows(
    const size_t rows, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params, const ffem_neon_output *out) {
  const size_t block_bytes = 8 * sizeof(int32_t) + 8 * k;
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
      int16x8_t va[4];
      _Pragma("GCC unroll 4") for (size_t r = 0; r < rows; r++) {
        va[r] = vmovl_s8(vld1_s8(a[r]));
        a[r] += 8;
      }
      const int16x8_t w0 = vmovl_s8(vld1_s8(w));
      const int16x8_t w1 = vmovl_s8(vld1_s8(w + 8));
      const int16x8_t w2 = vmovl_s8(vld1_s8(w + 16));
      const int16x8_t w3 = vmovl_s8(vld1_s8(w + 24));
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w0, low, 0, rows);
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w1, low, 1, rows);
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w2, low, 2, rows);
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w3, low, 3, rows);
      const int16x8_t w4 = vmovl_s8(vld1_s8(w + 32));
      const int16x8_t w5 = vmovl_s8(vld1_s8(w + 40));
      const int16x8_t w6 = vmovl_s8(vld1_s8(w + 48));
      const int16x8_t w7 = vmovl_s8(vld1_s8(w + 56));
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w4, high, 0, rows);
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w5, high, 1, rows);
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w6, high, 2, rows);
      FFEM_GEMM_4X8_MLAL_STEP(acc, va, w7, high, 3, rows);
      w += 64;
    }
    for (; kk > 0; kk--) {
      const int16x8_t vw = vmovl_s8(vld1_s8(w));
      w += 8;
      _Pragma("GCC unroll 4") for (size_t r = 0; r < rows; r++) {
        const int16x4_t x = vdup_n_s16((int16_t)*a[r]++);
        acc[r][0] = vmlal_s16(acc[r][0], vget_low_s16(vw), x);
        acc[r][1] = vmlal_s16(acc[r][1], vget_high_s16(vw), x);
      }
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

static inline void ffem_qs8_gemm_4x8_mlal_lane(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                               const void *packed_weights, int8_t *output, size_t output_stride,
                                               const ffem_qs8_requant_params *params) {
  assert(input_stride >= k && output_stride >= n);
  const ffem_neon_output out = ffem_neon_output_init(params->output_zero_point, params->output_min,
                                                     params->output_max);
  size_t i0 = 0;
  for (; i0 + 4 <= m; i0 += 4) {
    ffem_qs8_gemm_4x8_mlal_lane_rows(4, n, k, input + i0 * input_stride, input_stride, packed_weights,
                                     output + i0 * output_stride, output_stride, params, &out);
  }
  const int8_t *a = input + i0 * input_stride;
  int8_t *c = output + i0 * output_stride;
  switch (m - i0) {
    case 3:
      ffem_qs8_gemm_4x8_mlal_lane_rows(3, n, k, a, input_stride, packed_weights, c, output_stride, params, &out);
      break;
    case 2:
      ffem_qs8_gemm_4x8_mlal_lane_rows(2, n, k, a, input_stride, packed_weights, c, output_stride, params, &out);
      break;
    case 1:
      ffem_qs8_gemm_4x8_mlal_lane_rows(1, n, k, a, input_stride, packed_weights, c, output_stride, params, &out);
      break;
    default:
      break;
  }
}

#undef FFEM_GEMM_4X8_MLAL_STEP
#endif
