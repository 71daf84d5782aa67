// CFFEMKernels — ffem_qs8_vclamp_ukernel_16__armv7neon: ReLU/ReLU6 as a clamp, 16 bytes per step,
// on 32-bit ARMv7 NEON (Pi OS armhf). Contract, bounds and packed layout: qs8-vclamp-16-minmax.h.
#include "ffem_qs8_arm.h"

#if defined(__arm__) && defined(__ARM_NEON)
#include "qs8-vclamp-16-minmax.h"

void ffem_qs8_vclamp_ukernel_16__armv7neon(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                           int8_t output_max) {
  ffem_qs8_vclamp_16_minmax(count, input, output, output_min, output_max);
}
#endif
