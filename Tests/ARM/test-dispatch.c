// FFEM ARM harness — the dispatcher picks exactly the kernels the CPU model has.
//
// Expectations (qemu CPU models; see scripts/arm/test-arm.sh):
//   cortex-a72, cortex-a53     NEON, no SDOT: GEMM is the NEON kernel, no neondot kernel anywhere
//   cortex-a76, max            NEON + SDOT: GEMM and FC are the neondot kernel, every other op NEON
//   cortex-a72-forced-neondot  FFEM_ISA=neondot is refused (reported unavailable): scalar only
//   cortex-a76-forced-neon     FFEM_ISA=neon on an SDOT CPU: NEON kernels, no neondot kernel
//   forced-scalar              FFEM_ISA=scalar: every slot scalar
//   armv7                      32-bit NEON: every op has its armv7neon kernel
//   armv7-forced-neondot       FFEM_ISA=neondot on armv7 is refused: scalar only
// Always: no slot of the environment's table, nor of a table filled from the all-ones mask, needs
// an ISA missing from ffem_cpu_features().
#include <stdio.h>
#include <string.h>

#include "slots.h"
#include "testers.h"

static void print_mask(const char *label, uint32_t mask) {
  printf("%s:", label);
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if (mask & bit) printf(" %s", ffem_isa_name(bit));
  }
  printf("\n");
}

static long expect_true(int ok, const char *what) {
  harness_check(ok, "dispatch: %s", what);
  return ok ? 0 : 1;
}

static int any_slot(const harness_slot *s, uint32_t isa) {
  for (int i = 0; i < HARNESS_SLOTS; i++) {
    if (s[i].isa == isa) return 1;
  }
  return 0;
}

static int all_slots(const harness_slot *s, uint32_t isa) {
  for (int i = 0; i < HARNESS_SLOTS; i++) {
    if (s[i].isa != isa) return 0;
  }
  return 1;
}

static int within(const harness_slot *s, uint32_t mask) {
  for (int i = 0; i < HARNESS_SLOTS; i++) {
    if ((s[i].isa & ~mask) != 0 || !s[i].present) return 0;
  }
  return 1;
}

long test_dispatch(const char *expect) {
  const uint32_t features = ffem_cpu_features();
  uint32_t flags = 0;
  const uint32_t mask = ffem_isa_mask_from_environment(&flags);
  ffem_kernel_table table;
  ffem_kernel_table_fill(&table, mask);
  harness_slot s[HARNESS_SLOTS];
  harness_slots(&table, s);
  print_mask("cpu features", features);
  print_mask("table mask", mask);
  printf("FFEM_ISA parse flags: %u\n", flags);
  printf("selected:");
  for (int i = 0; i < HARNESS_SLOTS; i++) printf(" %s=%s", s[i].op, ffem_isa_name(s[i].isa));
  printf("\n");
  for (int i = 0; i < HARNESS_SLOTS; i++) printf("  %-10s %s\n", s[i].op, s[i].name);

  long bad = 0;
  bad += expect_true(within(s, features & mask), "a slot needs an ISA outside features ∩ mask");
  ffem_kernel_table everything;
  ffem_kernel_table_fill(&everything, ~0u);
  harness_slot e[HARNESS_SLOTS];
  harness_slots(&everything, e);
  bad += expect_true(within(e, features), "the all-ones mask put a kernel the CPU lacks into the table");

  const int has_neon = (features & FFEM_ISA_NEON) != 0, has_dot = (features & FFEM_ISA_NEONDOT) != 0;
  if (strcmp(expect, "cortex-a72") == 0 || strcmp(expect, "cortex-a53") == 0) {
    bad += expect_true(has_neon && !has_dot, "cortex-a72/a53 must report NEON without NEONDOT");
    bad += expect_true(all_slots(s, FFEM_ISA_NEON), "cortex-a72/a53 must select the NEON kernel of every op");
    bad += expect_true(!any_slot(s, FFEM_ISA_NEONDOT), "cortex-a72/a53 selected a neondot kernel");
  } else if (strcmp(expect, "cortex-a76") == 0 || strcmp(expect, "max") == 0) {
    bad += expect_true(has_neon && has_dot, "cortex-a76/max must report NEON and NEONDOT");
    bad += expect_true(table.gemm.isa == FFEM_ISA_NEONDOT, "cortex-a76/max must select the neondot GEMM");
    bad += expect_true(table.fc.isa == FFEM_ISA_NEONDOT, "cortex-a76/max must select the neondot FC");
    for (int i = 2; i < HARNESS_SLOTS; i++) {
      bad += expect_true(s[i].isa == FFEM_ISA_NEON, "cortex-a76/max must select NEON for the ops without SDOT kernels");
    }
  } else if (strcmp(expect, "cortex-a72-forced-neondot") == 0) {
    bad += expect_true(!has_dot, "cortex-a72 must not report NEONDOT");
    bad += expect_true((flags & FFEM_ISA_PARSE_UNAVAILABLE) != 0, "FFEM_ISA=neondot not reported unavailable");
    bad += expect_true(all_slots(s, FFEM_ISA_SCALAR), "FFEM_ISA=neondot on cortex-a72 must leave the scalar set");
  } else if (strcmp(expect, "cortex-a76-forced-neon") == 0) {
    bad += expect_true(has_dot, "cortex-a76 must report NEONDOT");
    bad += expect_true(all_slots(s, FFEM_ISA_NEON), "FFEM_ISA=neon must select the NEON kernel of every op");
    bad += expect_true(!any_slot(s, FFEM_ISA_NEONDOT), "FFEM_ISA=neon selected a neondot kernel");
  } else if (strcmp(expect, "forced-scalar") == 0) {
    bad += expect_true(all_slots(s, FFEM_ISA_SCALAR), "FFEM_ISA=scalar must select only scalar kernels");
  } else if (strcmp(expect, "armv7") == 0) {
    bad += expect_true((features & FFEM_ISA_ARMV7NEON) != 0, "armv7 must report ARMV7NEON");
    bad += expect_true(all_slots(s, FFEM_ISA_ARMV7NEON), "armv7 must select the armv7neon kernel of every op");
  } else if (strcmp(expect, "armv7-forced-neondot") == 0) {
    bad += expect_true((flags & FFEM_ISA_PARSE_UNAVAILABLE) != 0, "FFEM_ISA=neondot not reported unavailable");
    bad += expect_true(all_slots(s, FFEM_ISA_SCALAR), "FFEM_ISA=neondot on armv7 must leave the scalar set");
  } else {
    printf("unknown --expect value '%s'\n", expect);
    bad += expect_true(0, "unknown expectation");
  }
  return bad;
}
