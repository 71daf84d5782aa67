// CFFEMKernels — ffem_qs8_vprelu_ukernel_c8__neon: per-channel PReLU, 8 channels per step,
// on AArch64 ARMv8.0 NEON (Pi 4, Cortex-A72). Contract, bounds and packed layout: qs8-vprelu-c8-sqrdmulh.h.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__)
#include "qs8-vprelu-c8-sqrdmulh.h"

void ffem_qs8_vprelu_ukernel_c8__neon(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                      int8_t *output, const ffem_qs8_prelu_params *params) {
  ffem_qs8_vprelu_c8_sqrdmulh(pixels, channels, input, alpha, output, params);
}
#endif
