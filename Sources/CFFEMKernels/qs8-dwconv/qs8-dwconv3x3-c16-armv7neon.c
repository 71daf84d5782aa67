// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_ukernel_c16__armv7neon: depthwise 3×3 convolution (stride 1 or 2, padding 0/1), channel tile 16,
// on 32-bit ARMv7 NEON (Pi OS armhf). Contract, bounds and packed layout: qs8-dwconv3x3-c16-mull.h.
#include "ffem_qs8_arm.h"

#if defined(__arm__) && defined(__ARM_NEON)
#include "qs8-dwconv3x3-c16-mull.h"

void ffem_qs8_dwconv3x3_minmax_ukernel_c16__armv7neon(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                                      const void *packed_weights, int8_t *output,
                                                      const ffem_qs8_requant_params *params) {
  ffem_qs8_dwconv3x3_c16_mull(geometry, input, packed_weights, output, params);
}
#endif
