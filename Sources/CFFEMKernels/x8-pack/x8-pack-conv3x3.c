// CFFEMKernels — standard 3×3 convolution weight packing per output-channel tile (ffem_qs8_conv3x3_tile).
#include <assert.h>
#include <string.h>

#include "ffem_qs8.h"

/// The GEMM tile of FFEM_CONV3X3_LAYOUT_GEMM_C4.
static ffem_qs8_gemm_tile gemm_c4_tile(const ffem_qs8_conv3x3_tile *tile) {
  const ffem_qs8_gemm_tile gemm = {8, tile->nr, 4, 0x80};
  return gemm;
}

size_t ffem_x8_pack_conv3x3_size(const ffem_qs8_conv3x3_tile *tile, size_t output_channels, size_t input_channels) {
  if (tile->layout == FFEM_CONV3X3_LAYOUT_GEMM_C4) {
    const ffem_qs8_gemm_tile gemm = gemm_c4_tile(tile);
    return ffem_x8_pack_gemm_size(&gemm, output_channels, 9 * input_channels);
  }
  const size_t padded = (output_channels + tile->nr - 1) / tile->nr * tile->nr;
  const size_t window = 9 * input_channels;
  if (tile->layout == FFEM_CONV3X3_LAYOUT_INT16_PAIRS) {
    return padded * (sizeof(int32_t) + (window + 1) / 2 * 2 * sizeof(int16_t));
  }
  return padded * (sizeof(int32_t) + window);
}

void ffem_x8_pack_conv3x3(const ffem_qs8_conv3x3_tile *tile, size_t output_channels, size_t input_channels,
                          const int8_t *weights, const int32_t *bias, int32_t input_zero_point, void *packed) {
  assert(tile->nr > 0);
  if (tile->layout == FFEM_CONV3X3_LAYOUT_GEMM_C4) {
    const ffem_qs8_gemm_tile gemm = gemm_c4_tile(tile);
    ffem_x8_pack_gemm(&gemm, output_channels, 9 * input_channels, weights, bias, input_zero_point, packed);
    return;
  }
  const size_t nr = tile->nr, window = 9 * input_channels;
  uint8_t *out = (uint8_t *)packed;
  for (size_t o0 = 0; o0 < output_channels; o0 += nr) {
    for (size_t j = 0; j < nr; j++) {
      int32_t packed_bias = 0;
      if (o0 + j < output_channels) {
        int32_t weight_sum = 0;  // |Σ w| ≤ 127·9·input_channels
        for (size_t t = 0; t < window; t++) weight_sum += weights[(o0 + j) * window + t];
        packed_bias = (bias ? bias[o0 + j] : 0) - input_zero_point * weight_sum;
      }
      memcpy(out, &packed_bias, sizeof(int32_t));
      out += sizeof(int32_t);
    }
    if (tile->layout == FFEM_CONV3X3_LAYOUT_INT16_PAIRS) {
      for (size_t t = 0; t < window; t += 2) {
        for (size_t j = 0; j < nr; j++) {
          const int inside = o0 + j < output_channels;
          const int16_t pair[2] = {(int16_t)(inside ? weights[(o0 + j) * window + t] : 0),
                                   (int16_t)(inside && t + 1 < window ? weights[(o0 + j) * window + t + 1] : 0)};
          memcpy(out, pair, sizeof(pair));
          out += sizeof(pair);
        }
      }
    } else {
      for (size_t t = 0; t < window; t++) {
        for (size_t j = 0; j < nr; j++) {
          *out++ = (uint8_t)(o0 + j < output_channels ? weights[(o0 + j) * window + t] : 0);
        }
      }
    }
  }
}
