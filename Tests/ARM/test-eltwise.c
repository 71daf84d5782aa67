// FFEM ARM harness — testers of the elementwise and pooling ops: residual add (TFLite ADD
// parameters from random scales, plus random left shifts ≤ 22), per-channel PReLU (random alpha
// and zero points, per-channel negative multipliers), global average pooling and the clamp.
// Counts and channel counts sweep 1…33 around the 8/16-lane steps, plus 127 and larger.
#include <math.h>
#include <stdio.h>

#include "ffem_fixedpoint.h"
#include "testers.h"

/// (multiplier, shift) of a real multiplier, which must be representable.
static void quantize(double real, int32_t *multiplier, int32_t *shift) {
  if (ffem_quantize_multiplier(real, multiplier, shift) != FFEM_QUANTIZE_MULTIPLIER_OK) {
    *multiplier = 1 << 30;
    *shift = 0;
  }
}

static double random_scale(harness_rng *r) { return pow(2.0, (double)harness_range(r, -8000, -2000) / 1000.0); }

static void random_clamp(harness_rng *r, int32_t *output_min, int32_t *output_max) {
  const int clamp = harness_range(r, 0, 2);
  *output_min = clamp == 0 ? -128 : harness_range(r, -128, 127);
  *output_max = clamp == 0 ? 127 : harness_range(r, *output_min, 127);
}

static long compare_bytes(const char *name, const char *what, size_t count, const int8_t *expected,
                          const int8_t *actual) {
  for (size_t i = 0; i < count; i++) {
    if (expected[i] != actual[i]) {
      harness_check(0, "%s %s: element %zu: expected %d, got %d", name, what, i, expected[i], actual[i]);
      return 1;
    }
  }
  harness_pass();
  return 0;
}

static const size_t counts[] = {1, 2, 3, 5, 7, 8, 9, 13, 15, 16, 17, 24, 31, 32, 33, 127, 1000};

long test_vadd(const ffem_qs8_vadd_config *kernel, const ffem_qs8_vadd_config *oracle, uint64_t seed) {
  harness_rng r = {seed};
  long bad = 0;
  for (size_t a = 0; a < sizeof(counts) / sizeof(counts[0]); a++) {
    for (int repeat = 0; repeat < 6; repeat++) {
      const size_t n = counts[a];
      ffem_qs8_add_params p;
      const double sa = random_scale(&r), sb = random_scale(&r), so = random_scale(&r);
      const double twice_max = 2.0 * (sa > sb ? sa : sb);
      p.left_shift = repeat % 3 == 2 ? harness_range(&r, 0, 22) : 20;
      quantize(sa / twice_max, &p.a_multiplier, &p.a_shift);
      quantize(sb / twice_max, &p.b_multiplier, &p.b_shift);
      quantize(twice_max / (ldexp(1.0, p.left_shift) * so), &p.output_multiplier, &p.output_shift);
      p.a_zero_point = harness_range(&r, -128, 127);
      p.b_zero_point = harness_range(&r, -128, 127);
      p.output_zero_point = harness_range(&r, -128, 127);
      random_clamp(&r, &p.output_min, &p.output_max);
      int8_t *x = harness_guarded_alloc(n), *y = harness_guarded_alloc(n);
      int8_t *expected = harness_guarded_alloc(n), *actual = harness_guarded_alloc(n);
      harness_fill_s8(&r, x, n, -128, 127, repeat % 3);
      harness_fill_s8(&r, y, n, -128, 127, repeat % 3);
      oracle->ukernel(n, x, y, expected, &p);
      kernel->ukernel(n, x, y, actual, &p);
      char what[96];
      snprintf(what, sizeof(what), "count=%zu left_shift=%d", n, p.left_shift);
      bad += compare_bytes(kernel->name, what, n, expected, actual);
      harness_guarded_free(x);
      harness_guarded_free(y);
      harness_guarded_free(expected);
      harness_guarded_free(actual);
    }
  }
  return bad;
}

long test_vprelu(const ffem_qs8_vprelu_config *kernel, const ffem_qs8_vprelu_config *oracle, uint64_t seed) {
  static const size_t pixels[] = {1, 2, 3, 7};
  harness_rng r = {seed};
  long bad = 0;
  for (size_t a = 0; a < sizeof(pixels) / sizeof(pixels[0]); a++) {
    for (size_t b = 0; b < sizeof(counts) / sizeof(counts[0]) - 1; b++) {
      const size_t channels = counts[b], n = pixels[a] * channels;
      ffem_qs8_prelu_params p;
      int32_t *negative_multiplier = harness_guarded_alloc(channels * sizeof(int32_t));
      int32_t *negative_shift = harness_guarded_alloc(channels * sizeof(int32_t));
      const double s_in = random_scale(&r), s_out = random_scale(&r);
      quantize(s_in / s_out < 1e8 ? s_in / s_out : 1.0, &p.positive_multiplier, &p.positive_shift);
      for (size_t c = 0; c < channels; c++) {
        quantize(s_in * random_scale(&r) / s_out, &negative_multiplier[c], &negative_shift[c]);
      }
      p.negative_multiplier = negative_multiplier;
      p.negative_shift = negative_shift;
      p.input_zero_point = harness_range(&r, -128, 127);
      p.alpha_zero_point = harness_range(&r, -128, 127);
      p.output_zero_point = harness_range(&r, -128, 127);
      random_clamp(&r, &p.output_min, &p.output_max);
      int8_t *x = harness_guarded_alloc(n), *alpha = harness_guarded_alloc(channels);
      int8_t *expected = harness_guarded_alloc(n), *actual = harness_guarded_alloc(n);
      harness_fill_s8(&r, x, n, -128, 127, (int)(b % 3));
      harness_fill_s8(&r, alpha, channels, -128, 127, (int)(b % 3));
      oracle->ukernel(pixels[a], channels, x, alpha, expected, &p);
      kernel->ukernel(pixels[a], channels, x, alpha, actual, &p);
      char what[96];
      snprintf(what, sizeof(what), "pixels=%zu channels=%zu", pixels[a], channels);
      bad += compare_bytes(kernel->name, what, n, expected, actual);
      void *buffers[] = {negative_multiplier, negative_shift, x, alpha, expected, actual};
      for (size_t i = 0; i < sizeof(buffers) / sizeof(buffers[0]); i++) harness_guarded_free(buffers[i]);
    }
  }
  return bad;
}

long test_gavgpool(const ffem_qs8_gavgpool_config *kernel, const ffem_qs8_gavgpool_config *oracle, uint64_t seed) {
  static const size_t pixels[] = {1, 2, 7, 49, 196};
  harness_rng r = {seed};
  long bad = 0;
  for (size_t a = 0; a < sizeof(pixels) / sizeof(pixels[0]); a++) {
    for (size_t b = 0; b < sizeof(counts) / sizeof(counts[0]); b++) {
      const size_t channels = counts[b], n = pixels[a] * channels;
      ffem_qs8_gavgpool_params p;
      const double ratio = pow(2.0, (double)harness_range(&r, -2000, 2000) / 1000.0);
      quantize(ratio / (double)pixels[a], &p.multiplier, &p.shift);
      p.input_zero_point = harness_range(&r, -128, 127);
      p.output_zero_point = harness_range(&r, -128, 127);
      random_clamp(&r, &p.output_min, &p.output_max);
      int8_t *x = harness_guarded_alloc(n);
      int8_t *expected = harness_guarded_alloc(channels), *actual = harness_guarded_alloc(channels);
      harness_fill_s8(&r, x, n, -128, 127, (int)(b % 3));
      oracle->ukernel(pixels[a], channels, x, expected, &p);
      kernel->ukernel(pixels[a], channels, x, actual, &p);
      char what[96];
      snprintf(what, sizeof(what), "pixels=%zu channels=%zu", pixels[a], channels);
      bad += compare_bytes(kernel->name, what, channels, expected, actual);
      harness_guarded_free(x);
      harness_guarded_free(expected);
      harness_guarded_free(actual);
    }
  }
  return bad;
}

long test_vclamp(const ffem_qs8_vclamp_config *kernel, const ffem_qs8_vclamp_config *oracle, uint64_t seed) {
  harness_rng r = {seed};
  long bad = 0;
  for (size_t n = 1; n <= 1000; n = n < 40 ? n + 1 : n * 3) {
    int32_t lo, hi;
    random_clamp(&r, &lo, &hi);
    int8_t *x = harness_guarded_alloc(n);
    int8_t *expected = harness_guarded_alloc(n), *actual = harness_guarded_alloc(n);
    harness_fill_s8(&r, x, n, -128, 127, 0);
    oracle->ukernel(n, x, expected, (int8_t)lo, (int8_t)hi);
    kernel->ukernel(n, x, actual, (int8_t)lo, (int8_t)hi);
    char what[64];
    snprintf(what, sizeof(what), "count=%zu clamp [%d, %d]", n, lo, hi);
    bad += compare_bytes(kernel->name, what, n, expected, actual);
    harness_guarded_free(x);
    harness_guarded_free(expected);
    harness_guarded_free(actual);
  }
  return bad;
}
