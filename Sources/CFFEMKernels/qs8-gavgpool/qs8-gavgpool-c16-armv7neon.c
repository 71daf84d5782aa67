// CFFEMKernels — ffem_qs8_gavgpool_minmax_ukernel_c16__armv7neon: global average pooling, 16 channels per step,
// on 32-bit ARMv7 NEON (Pi OS armhf). Contract, bounds and packed layout: qs8-gavgpool-c16-addw.h.
#include "ffem_qs8_arm.h"

#if defined(__arm__) && defined(__ARM_NEON)
#include "qs8-gavgpool-c16-addw.h"

void ffem_qs8_gavgpool_minmax_ukernel_c16__armv7neon(size_t pixels, size_t channels, const int8_t *input,
                                                     int8_t *output, const ffem_qs8_gavgpool_params *params) {
  ffem_qs8_gavgpool_c16_addw(pixels, channels, input, output, params);
}
#endif
