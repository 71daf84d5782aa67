// CFFEMKernels — ffem_qs8_gavgpool_minmax_ukernel__scalar: the global average pooling oracle (ffem_qs8_gavgpool_params).
#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

void ffem_qs8_gavgpool_minmax_ukernel__scalar(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                              const ffem_qs8_gavgpool_params *p) {
  for (size_t c = 0; c < channels; c++) {
    int32_t acc = -(int32_t)pixels * p->input_zero_point;  // |acc| ≤ 255·pixels < 2^31
    for (size_t i = 0; i < pixels; i++) acc += input[i * channels + c];
    output[c] = ffem_requantize_s32(acc, p->multiplier, p->shift, p->output_zero_point, p->output_min, p->output_max);
  }
}
