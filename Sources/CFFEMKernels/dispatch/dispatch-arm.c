// CFFEMKernels — ARM feature probe (getauxval) and the ARM kernels of the table.
//
// Features (FFEM_ISA_* bits):
//   AArch64: NEON    = HWCAP_ASIMD   (ARMv8.0 AdvSIMD; every AArch64 Linux board has it)
//            NEONDOT = HWCAP_ASIMDDP (ARMv8.2 SDOT/UDOT: Cortex-A55/A76 and later — Pi 5, not Pi 4)
//   AArch32: ARMV7NEON = HWCAP_NEON, and only in builds compiled with NEON (-mfpu=neon*), since
//            the armv7 kernels exist only there.
// The probe reads the kernel's auxiliary vector, never executes a probing instruction. Builds for
// the freestanding Embedded triple (aarch64-none-none-elf, no __linux__) still reach getauxval
// when <sys/auxv.h> is on the include path (the board's glibc is linked in the end); without it,
// AArch64 assumes only the ARMv8.0 baseline.
//
// Table fill: a slot is overwritten only when its kernel's ISA bit is in `isa_mask` AND in this
// CPU's features; dot-product kernels are preferred over plain NEON ones. The second condition is
// defence in depth: FFEM_ISA parsing already drops ISAs the CPU lacks (FFEM_ISA=neondot on a
// Cortex-A72 gives the scalar set), and even a caller passing a wrong mask to
// ffem_kernel_table_fill cannot get an SDOT kernel on a CPU without HWCAP_ASIMDDP (it would raise
// SIGILL). The probe costs one getauxval per fill, and the table is filled once.
#include "ffem_qs8_arm.h"

#if defined(__aarch64__) || defined(__arm__)

#if defined(__has_include)
#if __has_include(<sys/auxv.h>)
#include <sys/auxv.h>
#define FFEM_HAVE_GETAUXVAL 1
#endif
#endif

// The Linux uapi values, in case <asm/hwcap.h> is not visible (same numbers on every kernel).
#if defined(__aarch64__)
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1ul << 1)
#endif
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1ul << 20)
#endif
#else
#ifndef HWCAP_NEON
#define HWCAP_NEON (1ul << 12)
#endif
#endif

uint32_t ffem_cpu_features_arm(void) {
  uint32_t features = 0;
#if defined(__aarch64__)
#if defined(FFEM_HAVE_GETAUXVAL)
  const unsigned long hwcap = getauxval(AT_HWCAP);
  if (hwcap & HWCAP_ASIMD) features |= FFEM_ISA_NEON;
  if (hwcap & HWCAP_ASIMDDP) features |= FFEM_ISA_NEONDOT;
#else
  features |= FFEM_ISA_NEON;
#endif
#elif defined(__ARM_NEON) && defined(FFEM_HAVE_GETAUXVAL)
  if (getauxval(AT_HWCAP) & HWCAP_NEON) features |= FFEM_ISA_ARMV7NEON;
#endif
  return features;
}

/// Every NEON kernel that exists in both the AArch64 (`neon`) and the armv7 (`armv7neon`) build,
/// under the ISA token `isa` with ISA bit `bit`. Tiles: GEMM 4x8 (kr 1), conv3x3 nr 8, depthwise
/// 3×3 and GDC cr 16, all with int8 weight layouts (layout 0).
#define FFEM_FILL_NEON_FAMILY(t, isa, bit)                                                                          \
  do {                                                                                                              \
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_4x8__##isa, {4, 8, 1, 0}, bit,                 \
                                       "ffem_qs8_gemm_minmax_ukernel_4x8__" #isa};                                   \
    (t)->gemm = gemm;                                                                                               \
    (t)->fc = gemm;                                                                                                 \
    const ffem_qs8_conv3x3_config conv3x3 = {ffem_qs8_conv3x3_minmax_ukernel_8__##isa, {.nr = 8}, bit,              \
                                             "ffem_qs8_conv3x3_minmax_ukernel_8__" #isa};                            \
    (t)->conv3x3 = conv3x3;                                                                                         \
    const ffem_qs8_dwconv_config dwconv = {ffem_qs8_dwconv3x3_minmax_ukernel_c16__##isa,                            \
                                           {16, FFEM_DWCONV_LAYOUT_INT8_TAPS}, bit,                                 \
                                           "ffem_qs8_dwconv3x3_minmax_ukernel_c16__" #isa};                          \
    (t)->dwconv3x3 = dwconv;                                                                                        \
    const ffem_qs8_gdconv_config gdconv = {ffem_qs8_gdconv_minmax_ukernel_c16__##isa,                               \
                                           {16, FFEM_DWCONV_LAYOUT_INT8_TAPS}, bit,                                 \
                                           "ffem_qs8_gdconv_minmax_ukernel_c16__" #isa};                             \
    (t)->gdconv = gdconv;                                                                                           \
    const ffem_qs8_vadd_config vadd = {ffem_qs8_vadd_minmax_ukernel_16__##isa, bit,                                \
                                       "ffem_qs8_vadd_minmax_ukernel_16__" #isa};                                    \
    (t)->vadd = vadd;                                                                                               \
    const ffem_qs8_vprelu_config vprelu = {ffem_qs8_vprelu_ukernel_c8__##isa, bit,                                 \
                                           "ffem_qs8_vprelu_ukernel_c8__" #isa};                                     \
    (t)->vprelu = vprelu;                                                                                           \
    const ffem_qs8_gavgpool_config gavgpool = {ffem_qs8_gavgpool_minmax_ukernel_c16__##isa, bit,                   \
                                               "ffem_qs8_gavgpool_minmax_ukernel_c16__" #isa};                       \
    (t)->gavgpool = gavgpool;                                                                                       \
    const ffem_qs8_requant_config requant = {ffem_qs8_requant_ukernel_c16__##isa, bit,                             \
                                             "ffem_qs8_requant_ukernel_c16__" #isa};                                 \
    (t)->requant = requant;                                                                                         \
    const ffem_qs8_vclamp_config vclamp = {ffem_qs8_vclamp_ukernel_16__##isa, bit,                                 \
                                           "ffem_qs8_vclamp_ukernel_16__" #isa};                                     \
    (t)->vclamp = vclamp;                                                                                           \
  } while (0)

void ffem_kernel_table_fill_arm(ffem_kernel_table *t, uint32_t isa_mask) {
  isa_mask &= ffem_cpu_features_arm();
#if defined(__aarch64__)
  if (isa_mask & FFEM_ISA_NEON) FFEM_FILL_NEON_FAMILY(t, neon, FFEM_ISA_NEON);
  // SDOT pays only where a dot product is the inner loop: the 1×1 convolutions and FC layers.
  if (isa_mask & FFEM_ISA_NEONDOT) {
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot, {4, 8, 4, 0}, FFEM_ISA_NEONDOT,
                                       "ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot"};
    t->gemm = gemm;
    t->fc = gemm;
  }
#elif defined(__ARM_NEON)
  if (isa_mask & FFEM_ISA_ARMV7NEON) FFEM_FILL_NEON_FAMILY(t, armv7neon, FFEM_ISA_ARMV7NEON);
#else
  (void)t;
  (void)isa_mask;
#endif
}

#endif

// ---- The ARM image kernels (crop, network input); same mask rule as the int8 table. ----
#include "ffem_image.h"

#if defined(__aarch64__) || defined(__arm__)
void ffem_image_kernel_table_fill_arm(ffem_image_kernel_table *table, uint32_t requested_mask) {
  const uint32_t isa_mask = requested_mask & ffem_cpu_features_arm();
#if defined(__aarch64__)
  if (isa_mask & FFEM_ISA_NEON) {
    const ffem_crop_rgb_config crop = {ffem_crop_rgb_ukernel__neon, FFEM_ISA_NEON, "ffem_crop_rgb_ukernel__neon"};
    table->crop_rgb = crop;
    const ffem_u8_to_f32_centered_config to_f32 = {ffem_u8_to_f32_centered_ukernel__neon, FFEM_ISA_NEON,
                                                   "ffem_u8_to_f32_centered_ukernel__neon"};
    table->u8_to_f32_centered = to_f32;
  }
#elif defined(__ARM_NEON)
  if (isa_mask & FFEM_ISA_ARMV7NEON) {
    const ffem_crop_rgb_config crop = {ffem_crop_rgb_ukernel__armv7neon, FFEM_ISA_ARMV7NEON,
                                       "ffem_crop_rgb_ukernel__armv7neon"};
    table->crop_rgb = crop;
    const ffem_u8_to_f32_centered_config to_f32 = {ffem_u8_to_f32_centered_ukernel__armv7neon, FFEM_ISA_ARMV7NEON,
                                                   "ffem_u8_to_f32_centered_ukernel__armv7neon"};
    table->u8_to_f32_centered = to_f32;
  }
#else
  (void)table;
  (void)isa_mask;
#endif
}
#endif
