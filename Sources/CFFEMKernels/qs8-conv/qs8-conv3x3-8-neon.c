// CFFEMKernels — ffem_qs8_conv3x3_minmax_ukernel_8__neon: standard 3×3 convolution (the stem), output-channel tile 8,
// on AArch64 ARMv8.0 NEON (Pi 4, Cortex-A72). Contract, bounds and packed layout: qs8-conv3x3-8-mlal.h.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__)
#include "qs8-conv3x3-8-mlal.h"

void ffem_qs8_conv3x3_minmax_ukernel_8__neon(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                             const void *packed_weights, int8_t *output,
                                             const ffem_qs8_requant_params *params) {
  ffem_qs8_conv3x3_8_mlal(geometry, input, packed_weights, output, params);
}
#endif
