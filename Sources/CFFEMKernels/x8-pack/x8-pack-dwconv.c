// CFFEMKernels — depthwise (3×3 and global) weight packing per channel tile (ffem_qs8_dwconv_tile).
#include <assert.h>
#include <string.h>

#include "ffem_qs8.h"

static size_t padded_channels(const ffem_qs8_dwconv_tile *tile, size_t channels) {
  return (channels + tile->cr - 1) / tile->cr * tile->cr;
}

size_t ffem_x8_pack_dwconv_size(const ffem_qs8_dwconv_tile *tile, size_t channels, size_t taps) {
  const size_t padded = padded_channels(tile, channels);
  if (tile->layout == FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS) {
    return padded * sizeof(int32_t) + (taps + 1) / 2 * padded * 2 * sizeof(int16_t);
  }
  if (tile->layout == FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES) return padded * (sizeof(int32_t) + 12);
  return padded * (sizeof(int32_t) + taps);
}

/// Weight of channel c at tap t, 0 beyond the real channels and taps.
static int8_t weight_at(const int8_t *weights, size_t channels, size_t taps, size_t c, size_t t) {
  return (c < channels && t < taps) ? weights[c * taps + t] : 0;
}

void ffem_x8_pack_dwconv(const ffem_qs8_dwconv_tile *tile, size_t channels, size_t taps, const int8_t *weights,
                         const int32_t *bias, int32_t input_zero_point, void *packed) {
  assert(tile->cr > 0);
  assert(tile->layout != FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS || tile->cr % 8 == 0);
  assert(tile->layout != FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES || (tile->cr % 64 == 0 && taps == 9));
  // Inputs the kernel reads XOR 0x80 are x + 128.
  const int32_t input_offset = input_zero_point + (tile->layout == FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES ? 128 : 0);
  const size_t cr = tile->cr;
  uint8_t *out = (uint8_t *)packed;
  for (size_t c0 = 0; c0 < channels; c0 += cr) {
    for (size_t j = 0; j < cr; j++) {
      int32_t packed_bias = 0;
      if (c0 + j < channels) {
        int32_t weight_sum = 0;  // |Σ w| ≤ 127·taps
        for (size_t t = 0; t < taps; t++) weight_sum += weights[(c0 + j) * taps + t];
        packed_bias = (bias ? bias[c0 + j] : 0) - input_offset * weight_sum;
      }
      memcpy(out, &packed_bias, sizeof(int32_t));
      out += sizeof(int32_t);
    }
    if (tile->layout == FFEM_DWCONV_LAYOUT_INT16_TAP_PAIRS) {
      for (size_t t = 0; t < taps; t += 2) {
        for (size_t half = 0; half < 2; half++) {
          for (size_t i = 0; i < cr / 2; i++) {
            const size_t c = c0 + (i / 4) * 8 + half * 4 + i % 4;
            const int16_t pair[2] = {weight_at(weights, channels, taps, c, t),
                                     weight_at(weights, channels, taps, c, t + 1)};
            memcpy(out, pair, sizeof(pair));
            out += sizeof(pair);
          }
        }
      }
    } else if (tile->layout == FFEM_DWCONV_LAYOUT_INT8_COLUMN_TRIPLES) {
      for (size_t kx = 0; kx < 3; kx++) {
        for (size_t group = 0; group < cr; group += 64) {
          for (size_t j = 0; j < 4; j++) {
            for (size_t lane = 0; lane < 16; lane++) {
              const size_t c = c0 + group + 16 * (lane / 4) + 4 * j + lane % 4;
              for (size_t ky = 0; ky < 3; ky++) *out++ = (uint8_t)weight_at(weights, channels, taps, c, 3 * ky + kx);
              *out++ = 0;
            }
          }
        }
      }
    } else {
      for (size_t t = 0; t < taps; t++) {
        for (size_t j = 0; j < cr; j++) *out++ = (uint8_t)weight_at(weights, channels, taps, c0 + j, t);
      }
    }
  }
}
