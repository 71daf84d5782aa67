// CFFEMKernels — depthwise (3×3 and global) weight packing per channel tile (ffem_qs8_dwconv_tile).
#include <assert.h>
#include <string.h>

#include "ffem_qs8.h"

size_t ffem_x8_pack_dwconv_size(const ffem_qs8_dwconv_tile *tile, size_t channels, size_t taps) {
  const size_t padded = (channels + tile->cr - 1) / tile->cr * tile->cr;
  return padded * (sizeof(int32_t) + taps);
}

void ffem_x8_pack_dwconv(const ffem_qs8_dwconv_tile *tile, size_t channels, size_t taps, const int8_t *weights,
                         const int32_t *bias, int32_t input_zero_point, void *packed) {
  assert(tile->cr > 0);
  const size_t cr = tile->cr;
  uint8_t *out = (uint8_t *)packed;
  for (size_t c0 = 0; c0 < channels; c0 += cr) {
    for (size_t j = 0; j < cr; j++) {
      int32_t packed_bias = 0;
      if (c0 + j < channels) {
        int32_t weight_sum = 0;  // |Σ w| ≤ 127·taps
        for (size_t t = 0; t < taps; t++) weight_sum += weights[(c0 + j) * taps + t];
        packed_bias = (bias ? bias[c0 + j] : 0) - input_zero_point * weight_sum;
      }
      memcpy(out, &packed_bias, sizeof(int32_t));
      out += sizeof(int32_t);
    }
    for (size_t t = 0; t < taps; t++) {
      for (size_t j = 0; j < cr; j++) {
        *out++ = (uint8_t)(c0 + j < channels ? weights[(c0 + j) * taps + t] : 0);
      }
    }
  }
}
