// CFFEMKernels — ffem_qs8_gdconv_minmax_ukernel_c16__neon: global depthwise convolution (GDC), channel tile 16,
// on AArch64 ARMv8.0 NEON (Pi 4, Cortex-A72). Contract, bounds and packed layout: qs8-gdconv-c16-mull.h.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__)
#include "qs8-gdconv-c16-mull.h"

void ffem_qs8_gdconv_minmax_ukernel_c16__neon(size_t pixels, size_t channels, const int8_t *input,
                                              const void *packed_weights, int8_t *output,
                                              const ffem_qs8_requant_params *params) {
  ffem_qs8_gdconv_c16_mull(pixels, channels, input, packed_weights, output, params);
}
#endif
