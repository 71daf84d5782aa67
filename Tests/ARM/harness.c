// FFEM ARM harness — shared helpers (harness.h).
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>

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
