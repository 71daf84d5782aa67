// CFFEMKernels — ffem_qs8_gemm_minmax_ukernel_4x8__neon: 1×1 convolution / fully connected GEMM, tile mr 4, nr 8, kr 1,
// on AArch64 ARMv8.0 NEON (Pi 4, Cortex-A72). Contract, bounds and packed layout: qs8-gemm-4x8-mlal-lane.h.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__)
#include "qs8-gemm-4x8-mlal-lane.h"

void ffem_qs8_gemm_minmax_ukernel_4x8__neon(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                            const void *packed_weights, int8_t *output, size_t output_stride,
                                            const ffem_qs8_requant_params *params) {
  ffem_qs8_gemm_4x8_mlal_lane(m, n, k, input, input_stride, packed_weights, output, output_stride, params);
}
#endif
