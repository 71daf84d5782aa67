// CFFEMKernels — ffem_qs8_requant_ukernel__scalar: the requantization oracle (int32 [rows][channels] → int8).
#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

void ffem_qs8_requant_ukernel__scalar(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                      const ffem_qs8_requant_params *params) {
  for (size_t i = 0; i < rows; i++) {
    for (size_t c = 0; c < channels; c++) {
      output[i * channels + c] =
          ffem_requantize_s32(input[i * channels + c], params->multiplier[c], params->shift[c],
                              params->output_zero_point, params->output_min, params->output_max);
    }
  }
}
