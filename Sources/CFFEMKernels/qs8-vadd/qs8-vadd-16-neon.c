// CFFEMKernels — ffem_qs8_vadd_minmax_ukernel_16__neon: residual add with two input scales, 16 elements per step,
// on AArch64 ARMv8.0 NEON (Pi 4, Cortex-A72). Contract, bounds and packed layout: qs8-vadd-16-sqrdmulh.h.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__)
#include "qs8-vadd-16-sqrdmulh.h"

void ffem_qs8_vadd_minmax_ukernel_16__neon(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                           const ffem_qs8_add_params *params) {
  ffem_qs8_vadd_16_sqrdmulh(count, a, b, output, params);
}
#endif
