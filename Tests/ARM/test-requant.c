// FFEM ARM harness — requantization tester: the rounding corner cases of DESIGN.md §7 lane by lane.
// Accumulators mix full-range random int32, the gemmlowp edge list (±2^i + {−2…2}, INT32_MIN,
// INT32_MAX) and exact ties x = ±(q·2^e + 2^(e−1)) of each channel's own right shift e — where
// NEON's rounding shift and RDBPOT disagree without the fix-up. Multipliers and shifts cover
// the whole valid range, including 2^30, 2^31 − 1, 0, shift −31 and left shifts up to 30.
#include <limits.h>
#include <stdio.h>

#include "testers.h"

static int32_t edge_value(harness_rng *r) {
  const int kind = harness_range(r, 0, 9);
  if (kind == 0) return INT32_MIN;
  if (kind == 1) return INT32_MAX;
  const int32_t power = harness_range(r, 0, 30);
  const int64_t v = ((int64_t)1 << power) + harness_range(r, -2, 2);
  const int64_t s = harness_range(r, 0, 1) ? -v : v;
  return (int32_t)(s < INT32_MIN ? INT32_MIN : (s > INT32_MAX ? INT32_MAX : s));
}

static int32_t tie_value(harness_rng *r, int32_t shift) {
  const int32_t e = shift < 0 ? -shift : 1;
  const int64_t half = (int64_t)1 << (e - 1);
  const int64_t q = harness_range(r, 0, e >= 30 ? 1 : 1000);
  const int64_t v = q * ((int64_t)1 << e) + half;
  const int64_t s = harness_range(r, 0, 1) ? -v : v;
  return (int32_t)(s < INT32_MIN ? INT32_MIN : (s > INT32_MAX ? INT32_MAX : s));
}

static long requant_case(const ffem_qs8_requant_config *kernel, const ffem_qs8_requant_config *oracle,
                         harness_rng *r, size_t rows, size_t channels) {
  int32_t *input = harness_guarded_alloc(rows * channels * sizeof(int32_t));
  int32_t *multiplier = harness_guarded_alloc(channels * sizeof(int32_t));
  int32_t *shift = harness_guarded_alloc(channels * sizeof(int32_t));
  for (size_t c = 0; c < channels; c++) {
    const int kind = harness_range(r, 0, 7);
    multiplier[c] = kind == 0 ? (1 << 30) : kind == 1 ? INT32_MAX : kind == 2 ? 0 : harness_range(r, 1 << 30, INT32_MAX);
    shift[c] = harness_range(r, 0, 3) == 0 ? harness_range(r, 0, 30) : harness_range(r, -31, -1);
  }
  for (size_t i = 0; i < rows * channels; i++) {
    const int kind = harness_range(r, 0, 2);
    const size_t c = i % channels;
    input[i] = kind == 0 ? (int32_t)harness_next(r) : kind == 1 ? edge_value(r) : tie_value(r, shift[c]);
  }
  ffem_qs8_requant_params params = {multiplier, shift, harness_range(r, -128, 127), -128, 127};
  if (harness_range(r, 0, 1)) {
    params.output_min = harness_range(r, -128, 127);
    params.output_max = harness_range(r, params.output_min, 127);
  }
  int8_t *expected = harness_guarded_alloc(rows * channels);
  int8_t *actual = harness_guarded_alloc(rows * channels);
  oracle->ukernel(rows, channels, input, expected, &params);
  kernel->ukernel(rows, channels, input, actual, &params);
  long bad = 0;
  for (size_t i = 0; i < rows * channels && bad == 0; i++) {
    if (expected[i] != actual[i]) {
      bad = 1;
      const size_t c = i % channels;
      harness_check(0, "%s rows=%zu channels=%zu [%zu][%zu]: acc %d multiplier %d shift %d zp %d: expected %d, got %d",
                    kernel->name, rows, channels, i / channels, c, input[i], multiplier[c], shift[c],
                    params.output_zero_point, expected[i], actual[i]);
    }
  }
  if (bad == 0) harness_pass();
  void *buffers[] = {input, multiplier, shift, expected, actual};
  for (size_t i = 0; i < sizeof(buffers) / sizeof(buffers[0]); i++) harness_guarded_free(buffers[i]);
  return bad;
}

long test_requant(const ffem_qs8_requant_config *kernel, const ffem_qs8_requant_config *oracle, uint64_t seed) {
  static const size_t rows[] = {1, 2, 3, 5};
  harness_rng r = {seed};
  long bad = 0;
  for (size_t a = 0; a < sizeof(rows) / sizeof(rows[0]); a++) {
    for (size_t channels = 1; channels <= 33; channels++) bad += requant_case(kernel, oracle, &r, rows[a], channels);
    bad += requant_case(kernel, oracle, &r, rows[a], 127);
  }
  for (int repeat = 0; repeat < 40; repeat++) bad += requant_case(kernel, oracle, &r, 64, 256);  // 655 k lanes
  return bad;
}
