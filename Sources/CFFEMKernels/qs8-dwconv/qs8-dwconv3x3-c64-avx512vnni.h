// CFFEMKernels — the c64 AVX-512 VNNI depthwise 3×3 loop, shared by the plain kernel and its
// fused-PReLU twin. Internal. Tile cr 64, FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES.
//
// Formulation: an input column (one x, the three rows the output row reads, 64 channels) is
// transposed once into four vectors T_j whose int32 lane (k, i) (k = 128-bit lane, i = 0…3) holds
// the bytes (x[row 0], x[row 1], x[row 2], x[row 2]) of channel 16k + 4j + i, XOR 0x80 (u8 = x + 128).
// One vpdpbusd of T_j with the packed weights (w[0][kx], w[1][kx], w[2][kx], 0) of that channel adds
// the column's three taps; an output pixel is 3 columns × 4 vpdpbusd. A column is transposed once
// and reused by every output that reads it (stride 1: each column serves three outputs).
// The packed bias carries −(input_zero_point + 128)·Σ w, so padding reads input_zero_point.
// Accumulator j holds channels {16k + 4j + i}: vpackssdw(acc0, acc1), vpackssdw(acc2, acc3) and
// vpacksswb of those two give the 64 output bytes in channel order, without a permute.
#ifndef FFEM_QS8_DWCONV3X3_C64_AVX512VNNI_H
#define FFEM_QS8_DWCONV3X3_C64_AVX512VNNI_H
#if defined(__x86_64__)
#include <string.h>

#include "../common/prelu-epilogue-avx512.h"
#include "dwconv3x3-taps.h"

#define TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define FFEM_DWCONV_C64_INLINE TARGET_AVX512VNNI __attribute__((always_inline)) static inline

enum { DWCONV_C64_CR = 64, DWCONV_C64_WEIGHT_BYTES = 3 * 4 * 64, DWCONV_C64_CHUNK = 8 };

/// One half (h = 0: j = 0, 1; h = 1: j = 2, 3) of a transposed input column: T_{2h}, T_{2h+1}.
typedef struct dwconv_c64_half_column {
  __m512i t[2];
} dwconv_c64_half_column;

/// T_{2h}, T_{2h+1} of the column whose rows are r0, r1, r2 (64 bytes each, already XOR 0x80):
/// punpck{l,h}bw pairs rows 0 and 1 (and row 2 with itself) for channels 16k + 8h … + 7, and
/// punpck{l,h}wd joins the pairs into 4-byte lanes.
FFEM_DWCONV_C64_INLINE dwconv_c64_half_column dwconv_c64_transpose(__m512i r0, __m512i r1, __m512i r2, int h) {
  const __m512i rows01 = h == 0 ? _mm512_unpacklo_epi8(r0, r1) : _mm512_unpackhi_epi8(r0, r1);
  const __m512i rows22 = h == 0 ? _mm512_unpacklo_epi8(r2, r2) : _mm512_unpackhi_epi8(r2, r2);
  dwconv_c64_half_column column;
  column.t[0] = _mm512_unpacklo_epi16(rows01, rows22);
  column.t[1] = _mm512_unpackhi_epi16(rows01, rows22);
  return column;
}

/// One transposed input column: both halves. (One four-vector transpose and a shared
/// accumulator-order helper for the parameter permutes, semantically the same, measured 7 % slower:
/// dw_conv1 47.6 against 44.1 µs.)
typedef struct dwconv_c64_column {
  dwconv_c64_half_column half[2];
} dwconv_c64_column;

/// The column at input x `ix` of `rows` (NULL rows and x outside the image read the zero point,
/// whose transposed column is `padding`); channels c0 … c0 + 63 under `mask`.
FFEM_DWCONV_C64_INLINE dwconv_c64_column dwconv_c64_load(const int8_t *const rows[3], int64_t ix, size_t width,
                                                         size_t channels, size_t c0, __mmask64 mask,
                                                         __m512i zero_point_u8, const dwconv_c64_column *padding) {
  if (ix < 0 || ix >= (int64_t)width) return *padding;
  const __m512i flip = _mm512_set1_epi8((char)0x80);
  __m512i r[3];
  for (size_t ky = 0; ky < 3; ky++) {
    r[ky] = rows[ky] ? _mm512_xor_si512(_mm512_maskz_loadu_epi8(mask, rows[ky] + (size_t)ix * channels + c0), flip)
                     : zero_point_u8;
  }
  const dwconv_c64_column column = {{dwconv_c64_transpose(r[0], r[1], r[2], 0), dwconv_c64_transpose(r[0], r[1], r[2], 1)}};
  return column;
}

/// Per-channel values of one 64-channel block in accumulator order: entry 16j + 4k + i is channel
/// c0 + 16k + 4j + i (0 past `lanes`).
FFEM_DWCONV_C64_INLINE void dwconv_c64_permute_i32(const int32_t *values, size_t c0, size_t lanes, int32_t out[64]) {
  for (size_t j = 0; j < 4; j++) {
    for (size_t lane = 0; lane < 16; lane++) {
      const size_t c = 16 * (lane / 4) + 4 * j + lane % 4;
      out[16 * j + lane] = c < lanes ? values[c0 + c] : 0;
    }
  }
}

FFEM_DWCONV_C64_INLINE void dwconv_c64_permute_i8(const int8_t *values, size_t c0, size_t lanes, int8_t out[64]) {
  for (size_t j = 0; j < 4; j++) {
    for (size_t lane = 0; lane < 16; lane++) {
      const size_t c = 16 * (lane / 4) + 4 * j + lane % 4;
      out[16 * j + lane] = c < lanes ? values[c0 + c] : 0;
    }
  }
}

/// The fused epilogue's per-channel state of one block, in accumulator order.
typedef struct dwconv_c64_prelu_block {
  ffem_prelu_channels_avx512 channels[4];
} dwconv_c64_prelu_block;

FFEM_DWCONV_C64_INLINE dwconv_c64_prelu_block dwconv_c64_prelu_block_make(const ffem_qs8_prelu_epilogue *epilogue,
                                                                          size_t c0, size_t lanes, int narrow) {
  int8_t alpha[64];
  int32_t multiplier[64], shift[64];
  dwconv_c64_permute_i8(epilogue->alpha, c0, lanes, alpha);
  dwconv_c64_permute_i32(epilogue->params->negative_multiplier, c0, lanes, multiplier);
  dwconv_c64_permute_i32(epilogue->params->negative_shift, c0, lanes, shift);
  ffem_qs8_prelu_params params = *epilogue->params;
  params.negative_multiplier = multiplier;
  params.negative_shift = shift;
  const ffem_qs8_prelu_epilogue permuted = {&params, alpha};
  dwconv_c64_prelu_block block;
  for (size_t j = 0; j < 4; j++) {
    // Lanes of channels past `lanes` compute values that are never stored.
    const ffem_prelu_raw_avx512 raw = ffem_prelu_raw_avx512_load(&permuted, 16 * j, 0xFFFF);
    block.channels[j] = ffem_prelu_channels_avx512_make(narrow, &raw);
  }
  return block;
}

/// acc_j += Σ_kx T_j(column kx) · W[kx][j] for the three columns of one output pixel.
FFEM_DWCONV_C64_INLINE void dwconv_c64_accumulate(const dwconv_c64_column *left, const dwconv_c64_column *middle,
                                                  const dwconv_c64_column *right, const __m512i w[12], __m512i acc[4]) {
  for (size_t j = 0; j < 4; j++) {
    acc[j] = _mm512_dpbusd_epi32(acc[j], left->half[j / 2].t[j % 2], w[j]);
    acc[j] = _mm512_dpbusd_epi32(acc[j], middle->half[j / 2].t[j % 2], w[4 + j]);
    acc[j] = _mm512_dpbusd_epi32(acc[j], right->half[j / 2].t[j % 2], w[8 + j]);
  }
}

/// The 64 output bytes of the fused epilogue from the four MBQM results (accumulator order).
FFEM_DWCONV_C64_INLINE __m512i dwconv_c64_prelu_bytes(const __m512i m[4], int narrow, const ffem_prelu_shared_avx512 *shared,
                                                      const dwconv_c64_prelu_block *prelu) {
  __m128i y[4];
  for (size_t j = 0; j < 4; j++) y[j] = ffem_prelu_output_avx512(narrow, m[j], shared, &prelu->channels[j]);
  // Dword k of y[j] is channels 16k + 4j … + 3: a 4 × 4 dword transpose restores channel order.
  const __m128i y01_lo = _mm_unpacklo_epi32(y[0], y[1]), y23_lo = _mm_unpacklo_epi32(y[2], y[3]);
  const __m128i y01_hi = _mm_unpackhi_epi32(y[0], y[1]), y23_hi = _mm_unpackhi_epi32(y[2], y[3]);
  __m512i bytes = _mm512_castsi128_si512(_mm_unpacklo_epi64(y01_lo, y23_lo));
  bytes = _mm512_inserti32x4(bytes, _mm_unpackhi_epi64(y01_lo, y23_lo), 1);
  bytes = _mm512_inserti32x4(bytes, _mm_unpacklo_epi64(y01_hi, y23_hi), 2);
  return _mm512_inserti32x4(bytes, _mm_unpackhi_epi64(y01_hi, y23_hi), 3);
}

/// The whole depthwise convolution. `epilogue` NULL: the plain kernel, else the fused PReLU
/// epilogue (int32-lane branches when `narrow`); `right_shift`: ffem_requant_is_right_shift holds.
/// Inlined into each entry point with constant arguments, so the plain kernel carries no PReLU code.
///
/// Each row is done in chunks of up to DWCONV_C64_CHUNK pixels, in passes that each keep only
/// their own constants in registers (measured faster than one pass: the requantization constants
/// and the weights do not fit in 32 registers together): the dot products into `sums` (L1); the
/// requantization in place, 16 channels at a time; the output stage.
FFEM_DWCONV_C64_INLINE void dwconv3x3_c64(const ffem_qs8_conv3x3_geometry *g, const int8_t *input,
                                          const void *packed_weights, int8_t *output,
                                          const ffem_qs8_requant_params *params,
                                          const ffem_qs8_prelu_epilogue *epilogue, const int narrow,
                                          const int right_shift) {
  // Locals: the output stores may alias anything reachable through `g`.
  const size_t channels = g->input_channels, input_width = g->input_width;
  const size_t output_height = g->output_height, output_width = g->output_width, stride = g->stride;
  const int64_t padding_left = g->padding_left;
  const __m512i zero_point_u8 = _mm512_set1_epi8((char)(g->input_zero_point ^ 0x80));
  const dwconv_c64_column padding = {{dwconv_c64_transpose(zero_point_u8, zero_point_u8, zero_point_u8, 0),
                                      dwconv_c64_transpose(zero_point_u8, zero_point_u8, zero_point_u8, 1)}};
  const ffem_output_stage64_avx512 stage =
      ffem_output_stage64_avx512_make(params->output_zero_point, params->output_min, params->output_max);
  ffem_prelu_shared_avx512 prelu_shared;
  if (epilogue) prelu_shared = ffem_prelu_shared_avx512_make(narrow, params, epilogue->params);
  __attribute__((aligned(64))) int32_t sums[DWCONV_C64_CHUNK][64];
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c0 = 0; c0 < channels; c0 += DWCONV_C64_CR) {
    const size_t lanes = channels - c0 < DWCONV_C64_CR ? channels - c0 : DWCONV_C64_CR;
    const __mmask64 mask = lanes == 64 ? ~(__mmask64)0 : (((__mmask64)1 << lanes) - 1);
    int32_t permuted[3][64];
    dwconv_c64_permute_i32(params->multiplier, c0, lanes, permuted[0]);
    dwconv_c64_permute_i32(params->shift, c0, lanes, permuted[1]);
    int32_t bias_in_channel_order[64];
    memcpy(bias_in_channel_order, block, sizeof(bias_in_channel_order));
    dwconv_c64_permute_i32(bias_in_channel_order, 0, DWCONV_C64_CR, permuted[2]);
    ffem_requant_avx512 requant[4];
    ffem_requant_right_avx512 requant_right[4];
    __m512i bias[4], w[12];
    for (size_t j = 0; j < 4; j++) {
      const __m512i multiplier = _mm512_loadu_si512(permuted[0] + 16 * j);
      const __m512i shift = _mm512_loadu_si512(permuted[1] + 16 * j);
      if (right_shift) {
        requant_right[j] = ffem_requant_right_prepare_avx512(multiplier, shift);
      } else {
        requant[j] = ffem_requant_prepare_avx512(multiplier, shift);
      }
      bias[j] = _mm512_loadu_si512(permuted[2] + 16 * j);
    }
    for (size_t i = 0; i < 12; i++) w[i] = _mm512_loadu_si512(block + DWCONV_C64_CR * sizeof(int32_t) + 64 * i);
    dwconv_c64_prelu_block prelu;
    if (epilogue) prelu = dwconv_c64_prelu_block_make(epilogue, c0, lanes, narrow);
    for (size_t oy = 0; oy < output_height; oy++) {
      const int8_t *rows[3];
      ffem_dwconv3x3_rows(g, input, oy, rows);
      for (size_t chunk = 0; chunk < output_width; chunk += DWCONV_C64_CHUNK) {
        const size_t pixels = output_width - chunk < DWCONV_C64_CHUNK ? output_width - chunk : DWCONV_C64_CHUNK;
        // Columns ix0, ix0 + 1, ix0 + 2 of the current output; carried over as the window slides.
        int64_t ix0 = (int64_t)(chunk * stride) - padding_left;
        dwconv_c64_column left = dwconv_c64_load(rows, ix0, input_width, channels, c0, mask, zero_point_u8, &padding);
        dwconv_c64_column middle =
            dwconv_c64_load(rows, ix0 + 1, input_width, channels, c0, mask, zero_point_u8, &padding);
        for (size_t p = 0; p < pixels; p++) {
          const dwconv_c64_column right =
              dwconv_c64_load(rows, ix0 + 2, input_width, channels, c0, mask, zero_point_u8, &padding);
          __m512i acc[4] = {bias[0], bias[1], bias[2], bias[3]};
          dwconv_c64_accumulate(&left, &middle, &right, w, acc);
          for (size_t j = 0; j < 4; j++) _mm512_store_si512(sums[p] + 16 * j, acc[j]);
          const int64_t next = ix0 + (int64_t)stride;
          if (stride == 1) {
            left = middle;
            middle = right;
          } else if (stride == 2) {
            left = right;
            middle = dwconv_c64_load(rows, next + 1, input_width, channels, c0, mask, zero_point_u8, &padding);
          } else {
            left = dwconv_c64_load(rows, next, input_width, channels, c0, mask, zero_point_u8, &padding);
            middle = dwconv_c64_load(rows, next + 1, input_width, channels, c0, mask, zero_point_u8, &padding);
          }
          ix0 = next;
        }
        for (size_t j = 0; j < 4; j++) {
          for (size_t p = 0; p < pixels; p++) {
            const __m512i acc = _mm512_load_si512(sums[p] + 16 * j);
            const __m512i y = right_shift ? ffem_mbqm_right_avx512(acc, &requant_right[j]) : ffem_mbqm_avx512(acc, &requant[j]);
            _mm512_store_si512(sums[p] + 16 * j, y);
          }
        }
        int8_t *out = output + (oy * output_width + chunk) * channels + c0;
        for (size_t p = 0; p < pixels; p++, out += channels) {
          __m512i m[4];
          for (size_t j = 0; j < 4; j++) m[j] = _mm512_load_si512(sums[p] + 16 * j);
          if (epilogue) {
            _mm512_mask_storeu_epi8(out, mask, dwconv_c64_prelu_bytes(m, narrow, &prelu_shared, &prelu));
            continue;
          }
          // Accumulator j holds channels 16k + 4j + i: pack order is channel order.
          _mm512_mask_storeu_epi8(out, mask, ffem_output64_packed_avx512(m, &stage));
        }
      }
    }
    block += DWCONV_C64_CR * sizeof(int32_t) + DWCONV_C64_WEIGHT_BYTES;
  }
}
#endif
#endif
