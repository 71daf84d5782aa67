// CFFEMKernels — ffem_qs8_requant_ukernel_c16__neon: int32 → int8 requantization, 16 channels per step,
// on AArch64 ARMv8.0 NEON (Pi 4, Cortex-A72). Contract, bounds and packed layout: qs8-requant-c16-sqrdmulh.h.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__)
#include "qs8-requant-c16-sqrdmulh.h"

void ffem_qs8_requant_ukernel_c16__neon(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                        const ffem_qs8_requant_params *params) {
  ffem_qs8_requant_c16_neon(rows, channels, input, output, params);
}
#endif
