// FFEM ARM harness — global depthwise convolution tester: pixel counts 1…50 (7×7 = 49 is
// MobileFaceNet's), channel counts around the channel tile, extreme values and saturation.
#include <math.h>
#include <stdio.h>

#include "testers.h"

static long gdconv_case(const ffem_qs8_gdconv_config *kernel, const ffem_qs8_gdconv_config *oracle, harness_rng *r,
                        size_t pixels, size_t channels, int mode) {
  int8_t *input = harness_guarded_alloc(pixels * channels);
  int8_t *weights = harness_guarded_alloc(channels * pixels);
  int32_t *bias = harness_guarded_alloc(channels * sizeof(int32_t));
  int32_t *multiplier = harness_guarded_alloc(channels * sizeof(int32_t));
  int32_t *shift = harness_guarded_alloc(channels * sizeof(int32_t));
  harness_fill_s8(r, input, pixels * channels, -128, 127, mode);
  harness_fill_s8(r, weights, channels * pixels, -127, 127, mode);
  harness_fill_s32(r, bias, channels, -(1 << 18), 1 << 18);
  const int32_t input_zero_point = harness_range(r, -128, 127);
  ffem_qs8_requant_params params;
  harness_random_requant(r, channels, 6000.0 * sqrt((double)pixels), multiplier, shift, &params);
  void *kp = harness_guarded_alloc(ffem_x8_pack_dwconv_size(&kernel->tile, channels, pixels));
  void *op = harness_guarded_alloc(ffem_x8_pack_dwconv_size(&oracle->tile, channels, pixels));
  ffem_x8_pack_dwconv(&kernel->tile, channels, pixels, weights, bias, input_zero_point, kp);
  ffem_x8_pack_dwconv(&oracle->tile, channels, pixels, weights, bias, input_zero_point, op);
  int8_t *expected = harness_guarded_alloc(channels);
  int8_t *actual = harness_guarded_alloc(channels);
  oracle->ukernel(pixels, channels, input, op, expected, &params);
  kernel->ukernel(pixels, channels, input, kp, actual, &params);
  long bad = 0;
  for (size_t c = 0; c < channels && bad == 0; c++) {
    if (expected[c] != actual[c]) {
      bad = 1;
      harness_check(0, "%s pixels=%zu channels=%zu channel %zu: expected %d, got %d", kernel->name, pixels, channels,
                    c, expected[c], actual[c]);
    }
  }
  if (bad == 0) harness_pass();
  void *buffers[] = {input, weights, bias, multiplier, shift, kp, op, expected, actual};
  for (size_t i = 0; i < sizeof(buffers) / sizeof(buffers[0]); i++) harness_guarded_free(buffers[i]);
  return bad;
}

long test_gdconv(const ffem_qs8_gdconv_config *kernel, const ffem_qs8_gdconv_config *oracle, uint64_t seed) {
  static const size_t pixels[] = {1, 2, 9, 16, 49, 50};
  static const size_t channels[] = {1, 3, 7, 8, 13, 15, 16, 17, 24, 31, 32, 33, 127, 512};
  harness_rng r = {seed};
  long bad = 0;
  int mode = 0;
  for (size_t a = 0; a < sizeof(pixels) / sizeof(pixels[0]); a++) {
    for (size_t b = 0; b < sizeof(channels) / sizeof(channels[0]); b++) {
      for (int repeat = 0; repeat < 2; repeat++) {
        bad += gdconv_case(kernel, oracle, &r, pixels[a], channels[b], mode);
        mode = (mode + 1) % 3;
      }
    }
  }
  return bad;
}
