// CFFEMKernels — ffem_qs8_gdconv_minmax_ukernel_c1__scalar: the global depthwise convolution oracle (tile cr 1).
#include <string.h>

#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

// Bound: |acc| ≤ |packed_bias| + pixels·128·127 < 2^31 for pixels ≤ 2^16.
void ffem_qs8_gdconv_minmax_ukernel_c1__scalar(size_t pixels, size_t channels, const int8_t *input,
                                               const void *packed_weights, int8_t *output,
                                               const ffem_qs8_requant_params *params) {
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t c = 0; c < channels; c++) {
    int32_t acc;
    memcpy(&acc, block, sizeof(acc));
    const int8_t *w = (const int8_t *)(block + sizeof(acc));
    for (size_t p = 0; p < pixels; p++) acc += (int32_t)input[p * channels + c] * (int32_t)w[p];
    output[c] = ffem_requantize_s32(acc, params->multiplier[c], params->shift[c], params->output_zero_point,
                                    params->output_min, params->output_max);
    block += sizeof(acc) + pixels;
  }
}
