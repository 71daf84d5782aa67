// FFEM ARM harness — shared helpers: seeded random numbers, counters, failure reports.
// The harness is plain C so that it runs under qemu-user for every ARM build (scripts/arm/test-arm.sh).
#ifndef FFEM_ARM_HARNESS_H
#define FFEM_ARM_HARNESS_H
#include <stddef.h>
#include <stdint.h>

/// SplitMix64 — a seeded generator, so that every failure can be replayed by its seed.
typedef struct harness_rng {
  uint64_t state;
} harness_rng;

static inline uint64_t harness_next(harness_rng *r) {
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Uniform in [lo, hi] (inclusive); hi - lo < 2^32.
static inline int32_t harness_range(harness_rng *r, int32_t lo, int32_t hi) {
  const uint64_t span = (uint64_t)((int64_t)hi - (int64_t)lo) + 1;
  return (int32_t)((int64_t)lo + (int64_t)(harness_next(r) % span));
}

/// Fills `n` int8 values. mode 0: uniform in [lo, hi]; 1: only the extremes lo/hi; 2: mostly extremes.
void harness_fill_s8(harness_rng *r, int8_t *p, size_t n, int32_t lo, int32_t hi, int mode);

/// Per-test-case bookkeeping: every case is counted; the first few mismatches are printed.
typedef struct harness_stats {
  long cases;
  long failures;
} harness_stats;

extern harness_stats harness_total;

/// Records one compared case. `ok` false prints `what` (kernel, sizes, index, values) for the first 20.
void harness_check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/// Records one case that matched.
void harness_pass(void);

/// `bytes` of memory that end exactly where an inaccessible page begins, so that a kernel reading
/// or writing one byte past a buffer dies with SIGSEGV under qemu instead of passing by luck.
/// Filled with the byte 0x5A. Freed with harness_guarded_free. Aborts when out of memory.
void *harness_guarded_alloc(size_t bytes);
void harness_guarded_free(void *p);

/// A few random int32 values in [lo, hi] — helpers for the per-channel parameter arrays.
void harness_fill_s32(harness_rng *r, int32_t *p, size_t n, int32_t lo, int32_t hi);

/// Random requantization parameters for `channels` channels whose outputs neither all saturate nor
/// all collapse for accumulators of magnitude about `acc_scale`; about one call in eight takes the
/// extremes (multiplier 2^30 or 2^31 − 1, the largest right shift, left shifts, multiplier 0).
/// `multiplier`/`shift` receive the arrays; the output zero point and clamps are random too.
struct ffem_qs8_requant_params;
void harness_random_requant(harness_rng *r, size_t channels, double acc_scale, int32_t *multiplier, int32_t *shift,
                            struct ffem_qs8_requant_params *params);

#endif
