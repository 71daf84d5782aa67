// FFEM ARM harness — one tester per op family (XNNPACK manner): the kernel under test against the
// scalar oracle of the same table slot, bit-exact, over seeded random and edge-case inputs.
// Every tester packs weights with the production packer for each kernel's own tile and returns
// the number of mismatching cases (also counted in harness_total).
#ifndef FFEM_ARM_TESTERS_H
#define FFEM_ARM_TESTERS_H
#include "ffem_qs8.h"
#include "harness.h"

long test_gemm(const ffem_qs8_gemm_config *kernel, const ffem_qs8_gemm_config *oracle, uint64_t seed);
long test_dwconv3x3(const ffem_qs8_dwconv_config *kernel, const ffem_qs8_dwconv_config *oracle, uint64_t seed);
long test_conv3x3(const ffem_qs8_conv3x3_config *kernel, const ffem_qs8_conv3x3_config *oracle, uint64_t seed);
long test_gdconv(const ffem_qs8_gdconv_config *kernel, const ffem_qs8_gdconv_config *oracle, uint64_t seed);
long test_requant(const ffem_qs8_requant_config *kernel, const ffem_qs8_requant_config *oracle, uint64_t seed);
long test_vadd(const ffem_qs8_vadd_config *kernel, const ffem_qs8_vadd_config *oracle, uint64_t seed);
long test_vprelu(const ffem_qs8_vprelu_config *kernel, const ffem_qs8_vprelu_config *oracle, uint64_t seed);
long test_gavgpool(const ffem_qs8_gavgpool_config *kernel, const ffem_qs8_gavgpool_config *oracle, uint64_t seed);
long test_vclamp(const ffem_qs8_vclamp_config *kernel, const ffem_qs8_vclamp_config *oracle, uint64_t seed);

/// The crop and network-input kernels of `kernel` against those of `oracle` (test-crop.c).
struct ffem_image_kernel_table;
long test_crop_kernels(const struct ffem_image_kernel_table *kernel, const struct ffem_image_kernel_table *oracle,
                       uint64_t seed);
/// The dispatcher's crop choice for the CPU model named by `expect` (as test_dispatch).
long test_crop_dispatch(const char *expect);

/// The dispatcher's choices: the expected kernel set for the CPU model named by `expect`
/// (cortex-a72, cortex-a76, max, armv7, and the forced variants of scripts/arm/test-arm.sh).
long test_dispatch(const char *expect);

#endif
