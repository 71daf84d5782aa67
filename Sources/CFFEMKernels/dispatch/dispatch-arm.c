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

void ffem_kernel_table_fill_arm(ffem_kernel_table *t, uint32_t isa_mask) {
  isa_mask &= ffem_cpu_features_arm();
#if defined(__aarch64__)
  if (isa_mask & FFEM_ISA_NEON) {
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_4x8__neon, {4, 8, 1, 0}, FFEM_ISA_NEON,
                                       "ffem_qs8_gemm_minmax_ukernel_4x8__neon"};
    t->gemm = gemm;
    t->fc = gemm;
  }
  if (isa_mask & FFEM_ISA_NEONDOT) {
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot, {4, 8, 4, 0}, FFEM_ISA_NEONDOT,
                                       "ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot"};
    t->gemm = gemm;
    t->fc = gemm;
  }
#elif defined(__ARM_NEON)
  if (isa_mask & FFEM_ISA_ARMV7NEON) {
    const ffem_qs8_gemm_config gemm = {ffem_qs8_gemm_minmax_ukernel_4x8__armv7neon, {4, 8, 1, 0},
                                       FFEM_ISA_ARMV7NEON, "ffem_qs8_gemm_minmax_ukernel_4x8__armv7neon"};
    t->gemm = gemm;
    t->fc = gemm;
  }
#else
  (void)t;
  (void)isa_mask;
#endif
}

#endif
