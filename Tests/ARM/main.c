// FFEM ARM harness — entry point. Run under qemu by scripts/arm/test-arm.sh:
//
//   ffem-arm-test --expect <model>      dispatcher expectations (test-dispatch.c), then every
//                                       kernel of every ISA in the FFEM_ISA/CPU mask against
//                                       the scalar kernel of the same slot, bit-exact
//   ffem-arm-test --call-neondot-directly
//                                       calls the SDOT GEMM without asking the dispatcher; on a
//                                       CPU without dot product this must die with SIGILL
//
// Prints "selected: …" (the environment's kernel set) and a last line
// "result: <cases> cases, <mismatches> mismatches, <kernels> kernels"; exit status 0 iff no
// mismatch and no failed expectation.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ffem_image.h"
#include "ffem_qs8_arm.h"
#include "slots.h"
#include "testers.h"

static int call_neondot_directly(void) {
#if defined(__aarch64__)
  const ffem_qs8_gemm_tile tile = {4, 8, 4, 0};
  int8_t input[16], weights[8 * 16], output[8];
  int32_t multiplier[8], shift[8], packed[8 + 8 * 16 / 4];
  for (int i = 0; i < 16; i++) input[i] = (int8_t)(i - 8);
  for (int i = 0; i < 8 * 16; i++) weights[i] = (int8_t)(i % 7 - 3);
  for (int i = 0; i < 8; i++) {
    multiplier[i] = 1 << 30;
    shift[i] = -4;
  }
  ffem_x8_pack_gemm(&tile, 8, 16, weights, NULL, 0, packed);
  const ffem_qs8_requant_params params = {multiplier, shift, 0, -128, 127};
  ffem_qs8_gemm_minmax_ukernel_4x8c4__neondot(1, 8, 16, input, 16, packed, output, 8, &params);
  printf("sdot kernel ran: output[0] = %d\n", output[0]);
  return 0;
#else
  printf("no neondot kernel on this architecture\n");
  return 2;
#endif
}

/// Tests the kernels of `table` whose ISA is `isa` against `oracle` (the scalar table); kernel
/// number i draws its cases from seed + i.
static long test_table(const ffem_kernel_table *table, const ffem_kernel_table *oracle, uint32_t isa, uint64_t seed,
                       int *kernels) {
  long bad = 0;
#define FFEM_TEST_SLOT(slot, tester)                                                            \
  if (table->slot.isa == isa) {                                                                 \
    const long cases = harness_total.cases;                                                     \
    const long b = tester(&table->slot, &oracle->slot, seed + (uint64_t)*kernels);              \
    printf("kernel %-48s %-10s %6ld cases, %ld mismatches\n", table->slot.name, #slot,          \
           harness_total.cases - cases, b);                                                     \
    bad += b;                                                                                   \
    (*kernels)++;                                                                               \
  }
  FFEM_TEST_SLOT(gemm, test_gemm)
  if (table->fc.isa == isa && table->fc.ukernel != table->gemm.ukernel) {
    FFEM_TEST_SLOT(fc, test_gemm)
  }
  FFEM_TEST_SLOT(conv3x3, test_conv3x3)
  FFEM_TEST_SLOT(dwconv3x3, test_dwconv3x3)
  FFEM_TEST_SLOT(gdconv, test_gdconv)
  FFEM_TEST_SLOT(vadd, test_vadd)
  FFEM_TEST_SLOT(vprelu, test_vprelu)
  FFEM_TEST_SLOT(gavgpool, test_gavgpool)
  FFEM_TEST_SLOT(requant, test_requant)
  FFEM_TEST_SLOT(vclamp, test_vclamp)
#undef FFEM_TEST_SLOT
  return bad;
}

int main(int argc, char **argv) {
  const char *expect = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--call-neondot-directly") == 0) return call_neondot_directly();
    if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
      expect = argv[++i];
    } else {
      fprintf(stderr, "usage: %s --expect MODEL | --call-neondot-directly\n", argv[0]);
      return 64;
    }
  }
  if (expect == NULL) {
    fprintf(stderr, "usage: %s --expect MODEL | --call-neondot-directly\n", argv[0]);
    return 64;
  }
  long bad = test_dispatch(expect);
  bad += test_crop_dispatch(expect);

  const char *seed_text = getenv("FFEM_TEST_SEED");
  const uint64_t seed = seed_text != NULL ? strtoull(seed_text, NULL, 0) : 0xF0E1D2C3u;
  printf("seed: %llu (FFEM_TEST_SEED)\n", (unsigned long long)seed);
  const uint32_t mask = ffem_isa_mask_from_environment(NULL);
  ffem_kernel_table oracle;
  ffem_kernel_table_fill(&oracle, FFEM_ISA_SCALAR);
  int kernels = 0;
  for (uint32_t isa = FFEM_ISA_SCALAR << 1; isa != 0; isa <<= 1) {
    if ((mask & isa) == 0) continue;
    ffem_kernel_table table;
    ffem_kernel_table_fill(&table, isa | FFEM_ISA_SCALAR);
    bad += test_table(&table, &oracle, isa, seed, &kernels);
  }
  ffem_image_kernel_table image_oracle;
  ffem_image_kernel_table_fill(&image_oracle, FFEM_ISA_SCALAR);
  for (uint32_t isa = FFEM_ISA_SCALAR << 1; isa != 0; isa <<= 1) {
    if ((mask & isa) == 0) continue;
    ffem_image_kernel_table table;
    ffem_image_kernel_table_fill(&table, isa | FFEM_ISA_SCALAR);
    if (table.crop_rgb.isa != isa) continue;
    const long cases = harness_total.cases;
    const long b = test_crop_kernels(&table, &image_oracle, seed + (uint64_t)kernels);
    printf("kernel %-48s %-10s %6ld cases, %ld mismatches\n", table.crop_rgb.name, "crop_rgb", harness_total.cases - cases, b);
    bad += b;
    kernels++;
  }
  printf("result: %ld cases, %ld mismatches, %d kernels\n", harness_total.cases, harness_total.failures, kernels);
  return bad != 0 || harness_total.failures != 0;
}
