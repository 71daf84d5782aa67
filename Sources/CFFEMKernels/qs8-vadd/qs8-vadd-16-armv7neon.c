// CFFEMKernels — ffem_qs8_vadd_minmax_ukernel_16__armv7neon: residual add with two input scales, 16 elements per step,
// on 32-bit ARMv7 NEON (Pi OS armhf). Contract, bounds and packed layout: qs8-vadd-16-sqrdmulh.h.
#include "ffem_qs8_arm.h"

#if defined(__arm__) && defined(__ARM_NEON)
#include "qs8-vadd-16-sqrdmulh.h"

void ffem_qs8_vadd_minmax_ukernel_16__armv7neon(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                                const ffem_qs8_add_params *params) {
  ffem_qs8_vadd_16_sqrdmulh(count, a, b, output, params);
}
#endif
