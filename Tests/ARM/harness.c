// FFEM ARM harness — shared helpers (harness.h).
#include "harness.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

harness_stats harness_total;

void harness_fill_s8(harness_rng *r, int8_t *p, size_t n, int32_t lo, int32_t hi, int mode) {
  for (size_t i = 0; i < n; i++) {
    const int extreme = mode == 1 || (mode == 2 && harness_range(r, 0, 3) != 0);
    if (extreme) {
      p[i] = (int8_t)((harness_next(r) & 1) ? hi : lo);
    } else {
      p[i] = (int8_t)harness_range(r, lo, hi);
    }
  }
}

void harness_pass(void) { harness_total.cases++; }

void harness_check(int ok, const char *fmt, ...) {
  harness_total.cases++;
  if (ok) return;
  harness_total.failures++;
  if (harness_total.failures > 20) return;
  va_list ap;
  va_start(ap, fmt);
  fputs("MISMATCH ", stdout);
  vprintf(fmt, ap);
  fputc('\n', stdout);
  va_end(ap);
}

// Layout: [data pages; the buffer ends at their end][one PROT_NONE page]. Live mappings are kept
// in a small table so that free needs only the pointer.
enum { GUARDED_MAX = 64 };
static struct {
  void *p, *base;
  size_t total;
} guarded[GUARDED_MAX];

void *harness_guarded_alloc(size_t bytes) {
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  const size_t data_pages = (bytes + page - 1) / page + 1;
  const size_t total = (data_pages + 1) * page;
  uint8_t *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED || mprotect(base + data_pages * page, page, PROT_NONE) != 0) {
    perror("harness_guarded_alloc");
    abort();
  }
  uint8_t *p = base + data_pages * page - bytes;
  memset(p, 0x5A, bytes);
  for (size_t i = 0; i < GUARDED_MAX; i++) {
    if (guarded[i].p == NULL) {
      guarded[i].p = p;
      guarded[i].base = base;
      guarded[i].total = total;
      return p;
    }
  }
  fputs("harness_guarded_alloc: too many live buffers\n", stderr);
  abort();
}

void harness_guarded_free(void *p) {
  if (p == NULL) return;
  for (size_t i = 0; i < GUARDED_MAX; i++) {
    if (guarded[i].p == p) {
      munmap(guarded[i].base, guarded[i].total);
      guarded[i].p = NULL;
      return;
    }
  }
  fputs("harness_guarded_free: unknown pointer\n", stderr);
  abort();
}

void harness_fill_s32(harness_rng *r, int32_t *p, size_t n, int32_t lo, int32_t hi) {
  for (size_t i = 0; i < n; i++) p[i] = harness_range(r, lo, hi);
}

void harness_random_requant(harness_rng *r, size_t channels, double acc_scale, int32_t *multiplier, int32_t *shift,
                            struct ffem_qs8_requant_params *params) {
  const int extreme = harness_range(r, 0, 7) == 0;
  for (size_t c = 0; c < channels; c++) {
    // real multiplier ≈ 2^u · 100 / acc_scale, u ∈ [−3, 3]: outputs span the int8 range, some saturate.
    const double u = (double)harness_range(r, -3000, 3000) / 1000.0;
    double real = pow(2.0, u) * 100.0 / (acc_scale > 1.0 ? acc_scale : 1.0);
    if (extreme) {
      switch (harness_range(r, 0, 5)) {
        case 0: real = ldexp(1.0, harness_range(r, -32, -20)); break;           // tiny, shifts near −31
        case 1: real = ldexp(1.0, harness_range(r, 0, 4)) * 1.7; break;         // left shifts
        case 2: real = 0.0; break;                                              // multiplier 0
        default: break;
      }
    }
    if (ffem_quantize_multiplier(real, &multiplier[c], &shift[c]) != FFEM_QUANTIZE_MULTIPLIER_OK) {
      multiplier[c] = 1 << 30;
      shift[c] = 0;
    }
    if (extreme && harness_range(r, 0, 2) == 0) multiplier[c] = harness_range(r, 0, 1) ? (1 << 30) : INT32_MAX;
  }
  params->multiplier = multiplier;
  params->shift = shift;
  params->output_zero_point = harness_range(r, -128, 127);
  const int clamp = harness_range(r, 0, 2);
  params->output_min = clamp == 0 ? -128 : harness_range(r, -128, 127);
  params->output_max = clamp == 0 ? 127 : harness_range(r, params->output_min, 127);
}
