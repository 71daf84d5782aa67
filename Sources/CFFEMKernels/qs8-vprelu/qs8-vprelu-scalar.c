// CFFEMKernels — ffem_qs8_vprelu_ukernel__scalar: the per-channel PReLU oracle (TFLite PRELU, ffem_qs8_prelu_params).
#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

void ffem_qs8_vprelu_ukernel__scalar(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                     int8_t *output, const ffem_qs8_prelu_params *p) {
  for (size_t i = 0; i < pixels; i++) {
    for (size_t c = 0; c < channels; c++) {
      const int32_t v = (int32_t)input[i * channels + c] - p->input_zero_point;  // [−255, 255]
      if (v >= 0) {
        output[i * channels + c] = ffem_requantize_s32(v, p->positive_multiplier, p->positive_shift,
                                                       p->output_zero_point, p->output_min, p->output_max);
      } else {
        const int32_t slope = (int32_t)alpha[c] - p->alpha_zero_point;  // [−255, 255]: |v·slope| < 2^16
        output[i * channels + c] = ffem_requantize_s32(v * slope, p->negative_multiplier[c], p->negative_shift[c],
                                                       p->output_zero_point, p->output_min, p->output_max);
      }
    }
  }
}
