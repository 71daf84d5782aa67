// FFEM ARM harness — the table's slots as a uniform list (op, ISA bit, kernel name).
#ifndef FFEM_ARM_SLOTS_H
#define FFEM_ARM_SLOTS_H
#include <stddef.h>

#include "ffem_qs8.h"

typedef struct harness_slot {
  const char *op;
  uint32_t isa;
  const char *name;
  int present;  ///< the slot's kernel pointer is not NULL
} harness_slot;

enum { HARNESS_SLOTS = 10 };

static inline void harness_slots(const ffem_kernel_table *t, harness_slot s[HARNESS_SLOTS]) {
  const harness_slot list[HARNESS_SLOTS] = {
      {"gemm", t->gemm.isa, t->gemm.name, t->gemm.ukernel != NULL},
      {"fc", t->fc.isa, t->fc.name, t->fc.ukernel != NULL},
      {"conv3x3", t->conv3x3.isa, t->conv3x3.name, t->conv3x3.ukernel != NULL},
      {"dwconv3x3", t->dwconv3x3.isa, t->dwconv3x3.name, t->dwconv3x3.ukernel != NULL},
      {"gdconv", t->gdconv.isa, t->gdconv.name, t->gdconv.ukernel != NULL},
      {"vadd", t->vadd.isa, t->vadd.name, t->vadd.ukernel != NULL},
      {"vprelu", t->vprelu.isa, t->vprelu.name, t->vprelu.ukernel != NULL},
      {"gavgpool", t->gavgpool.isa, t->gavgpool.name, t->gavgpool.ukernel != NULL},
      {"requant", t->requant.isa, t->requant.name, t->requant.ukernel != NULL},
      {"vclamp", t->vclamp.isa, t->vclamp.name, t->vclamp.ukernel != NULL},
  };
  for (int i = 0; i < HARNESS_SLOTS; i++) s[i] = list[i];
}
#endif
