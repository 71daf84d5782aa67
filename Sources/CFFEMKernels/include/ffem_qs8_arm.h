// CFFEMKernels — the ARM kernels of the table (signatures and contracts in ffem_qs8.h).
//
// ISA tokens: `neon` = AArch64 ARMv8.0 AdvSIMD (Pi 4, Cortex-A72), `neondot` = ARMv8.2 SDOT
// (Pi 5, Cortex-A76; compiled with a per-function target attribute, called only when
// HWCAP_ASIMDDP is set), `armv7neon` = 32-bit NEON (Pi OS armhf built with -mfpu=neon*).
// Each kernel gives the same bytes as its scalar oracle for every input (tested under qemu by
// scripts/arm/test-arm.sh). Tiles: see dispatch/dispatch-arm.c.
#ifndef FFEM_QS8_ARM_H
#define FFEM_QS8_ARM_H

#include "ffem_qs8.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__aarch64__)
void ffem_qs8_dwconv3x3_minmax_ukernel_c16__neon(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                                 const void *packed_weights, int8_t *output,
                                                 const ffem_qs8_requant_params *params);
void ffem_qs8_conv3x3_minmax_ukernel_8__neon(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                             const void *packed_weights, int8_t *output,
                                             const ffem_qs8_requant_params *params);
void ffem_qs8_gdconv_minmax_ukernel_c16__neon(size_t pixels, size_t channels, const int8_t *input,
                                              const void *packed_weights, int8_t *output,
                                              const ffem_qs8_requant_params *params);
void ffem_qs8_requant_ukernel_c16__neon(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                        const ffem_qs8_requant_params *params);
void ffem_qs8_gavgpool_minmax_ukernel_c16__neon(size_t pixels, size_t channels, const int8_t *input, int8_t *output,
                                                const ffem_qs8_gavgpool_params *params);
void ffem_qs8_vadd_minmax_ukernel_16__neon(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                           const ffem_qs8_add_params *params);
void ffem_qs8_vprelu_ukernel_c8__neon(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                      int8_t *output, const ffem_qs8_prelu_params *params);
void ffem_qs8_vclamp_ukernel_16__neon(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                      int8_t output_max);
void ffem_qs8_gemm_minmax_ukernel_4x8__neon(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                            const void *packed_weights, int8_t *output, size_t output_stride,
                                            const ffem_qs8_requant_params *params);
void ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot(size_t m, size_t n, size_t k, const int8_t *input,
                                                 size_t input_stride, const void *packed_weights, int8_t *output,
                                                 size_t output_stride, const ffem_qs8_requant_params *params);
#endif

#if defined(__arm__) && defined(__ARM_NEON)
void ffem_qs8_dwconv3x3_minmax_ukernel_c16__armv7neon(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                                      const void *packed_weights, int8_t *output,
                                                      const ffem_qs8_requant_params *params);
void ffem_qs8_conv3x3_minmax_ukernel_8__armv7neon(const ffem_qs8_conv3x3_geometry *geometry, const int8_t *input,
                                                  const void *packed_weights, int8_t *output,
                                                  const ffem_qs8_requant_params *params);
void ffem_qs8_gdconv_minmax_ukernel_c16__armv7neon(size_t pixels, size_t channels, const int8_t *input,
                                                   const void *packed_weights, int8_t *output,
                                                   const ffem_qs8_requant_params *params);
void ffem_qs8_requant_ukernel_c16__armv7neon(size_t rows, size_t channels, const int32_t *input, int8_t *output,
                                             const ffem_qs8_requant_params *params);
void ffem_qs8_gavgpool_minmax_ukernel_c16__armv7neon(size_t pixels, size_t channels, const int8_t *input,
                                                     int8_t *output, const ffem_qs8_gavgpool_params *params);
void ffem_qs8_vadd_minmax_ukernel_16__armv7neon(size_t count, const int8_t *a, const int8_t *b, int8_t *output,
                                                const ffem_qs8_add_params *params);
void ffem_qs8_vprelu_ukernel_c8__armv7neon(size_t pixels, size_t channels, const int8_t *input, const int8_t *alpha,
                                           int8_t *output, const ffem_qs8_prelu_params *params);
void ffem_qs8_vclamp_ukernel_16__armv7neon(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                           int8_t output_max);
void ffem_qs8_gemm_minmax_ukernel_4x8__armv7neon(size_t m, size_t n, size_t k, const int8_t *input,
                                                 size_t input_stride, const void *packed_weights, int8_t *output,
                                                 size_t output_stride, const ffem_qs8_requant_params *params);
#endif

#ifdef __cplusplus
}
#endif
#endif
