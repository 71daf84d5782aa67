// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_ukernel_c1__scalar: the depthwise 3×3 oracle (tile cr 1).
#include <assert.h>
#include <string.h>

#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

// Bound: |acc| ≤ |packed_bias| + 9·128·127, far inside int32.
void ffem_qs8_dwconv3x3_minmax_ukernel_c1__scalar(const ffem_qs8_conv3x3_geometry *g, const int8_t *input,
                                                  const void *packed_weights, int8_t *output,
                                                  const ffem_qs8_requant_params *params) {
  assert(g->stride >= 1 && g->input_channels == g->output_channels);
  const size_t channels = g->input_channels;
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c = 0; c < channels; c++) {
    int32_t bias;
    memcpy(&bias, block, sizeof(bias));
    const int8_t *w = (const int8_t *)(block + sizeof(bias));
    for (size_t oy = 0; oy < g->output_height; oy++) {
      for (size_t ox = 0; ox < g->output_width; ox++) {
        int32_t acc = bias;
        for (size_t ky = 0; ky < 3; ky++) {
          const int64_t iy = (int64_t)(oy * g->stride + ky) - g->padding_top;
          for (size_t kx = 0; kx < 3; kx++) {
            const int64_t ix = (int64_t)(ox * g->stride + kx) - g->padding_left;
            const int inside = iy >= 0 && iy < g->input_height && ix >= 0 && ix < g->input_width;
            const int32_t x = inside ? input[((size_t)iy * g->input_width + (size_t)ix) * channels + c]
                                     : g->input_zero_point;
            acc += x * (int32_t)w[ky * 3 + kx];
          }
        }
        output[(oy * g->output_width + ox) * channels + c] = ffem_requantize_s32(
            acc, params->multiplier[c], params->shift[c], params->output_zero_point, params->output_min,
            params->output_max);
      }
    }
    block += sizeof(bias) + 9;
  }
}
