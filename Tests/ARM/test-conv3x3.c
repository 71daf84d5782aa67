// FFEM ARM harness — 3×3 convolution testers: depthwise (stride 1/2, padding 0/1 on each side,
// odd channel counts around the channel tile) and the standard stem convolution (input channels
// 1–4, output channels around the output tile). Images are small, so every output pixel of every
// case touches the padding on some side.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testers.h"

typedef struct conv_case {
  ffem_qs8_conv3x3_geometry g;
  size_t input_bytes, output_bytes;
} conv_case;

/// A random geometry over an h×w image; padding bottom/right chosen so the output is ≥ 1×1.
static int make_geometry(harness_rng *r, size_t h, size_t w, size_t ci, size_t co, uint32_t stride, conv_case *c) {
  memset(c, 0, sizeof(*c));
  ffem_qs8_conv3x3_geometry *g = &c->g;
  g->input_height = (uint32_t)h;
  g->input_width = (uint32_t)w;
  g->input_channels = (uint32_t)ci;
  g->output_channels = (uint32_t)co;
  g->stride = stride;
  g->padding_top = (uint32_t)harness_range(r, 0, 1);
  g->padding_left = (uint32_t)harness_range(r, 0, 1);
  const size_t bottom = (size_t)harness_range(r, 0, 1), right = (size_t)harness_range(r, 0, 1);
  if (h + g->padding_top + bottom < 3 || w + g->padding_left + right < 3) return 0;
  g->output_height = (uint32_t)((h + g->padding_top + bottom - 3) / stride + 1);
  g->output_width = (uint32_t)((w + g->padding_left + right - 3) / stride + 1);
  g->input_zero_point = harness_range(r, -128, 127);
  c->input_bytes = h * w * ci;
  c->output_bytes = (size_t)g->output_height * g->output_width * co;
  return 1;
}

static long compare(const char *name, const conv_case *c, const int8_t *expected, const int8_t *actual) {
  for (size_t i = 0; i < c->output_bytes; i++) {
    if (expected[i] != actual[i]) {
      const size_t co = c->g.output_channels, pixel = i / co;
      harness_check(0, "%s in %ux%ux%u out %ux%ux%u stride %u pad t%u l%u zp %d: pixel (%zu,%zu) channel %zu: "
                       "expected %d, got %d", name, c->g.input_height, c->g.input_width, c->g.input_channels,
                    c->g.output_height, c->g.output_width, c->g.output_channels, c->g.stride, c->g.padding_top,
                    c->g.padding_left, c->g.input_zero_point, pixel / c->g.output_width, pixel % c->g.output_width,
                    i % co, expected[i], actual[i]);
      return 1;
    }
  }
  harness_pass();
  return 0;
}

static long dwconv_case(const ffem_qs8_dwconv_config *kernel, const ffem_qs8_dwconv_config *oracle, harness_rng *r,
                        const conv_case *c, int mode) {
  const size_t channels = c->g.input_channels;
  int8_t *input = harness_guarded_alloc(c->input_bytes);
  int8_t *weights = harness_guarded_alloc(channels * 9);
  int32_t *bias = harness_guarded_alloc(channels * sizeof(int32_t));
  int32_t *multiplier = harness_guarded_alloc(channels * sizeof(int32_t));
  int32_t *shift = harness_guarded_alloc(channels * sizeof(int32_t));
  harness_fill_s8(r, input, c->input_bytes, -128, 127, mode);
  harness_fill_s8(r, weights, channels * 9, -127, 127, mode);
  harness_fill_s32(r, bias, channels, -(1 << 16), 1 << 16);
  ffem_qs8_requant_params params;
  harness_random_requant(r, channels, 6000.0 * 3.0, multiplier, shift, &params);
  void *kp = harness_guarded_alloc(ffem_x8_pack_dwconv_size(&kernel->tile, channels, 9));
  void *op = harness_guarded_alloc(ffem_x8_pack_dwconv_size(&oracle->tile, channels, 9));
  ffem_x8_pack_dwconv(&kernel->tile, channels, 9, weights, bias, c->g.input_zero_point, kp);
  ffem_x8_pack_dwconv(&oracle->tile, channels, 9, weights, bias, c->g.input_zero_point, op);
  int8_t *expected = harness_guarded_alloc(c->output_bytes);
  int8_t *actual = harness_guarded_alloc(c->output_bytes);
  oracle->ukernel(&c->g, input, op, expected, &params);
  kernel->ukernel(&c->g, input, kp, actual, &params);
  const long bad = compare(kernel->name, c, expected, actual);
  void *buffers[] = {input, weights, bias, multiplier, shift, kp, op, expected, actual};
  for (size_t i = 0; i < sizeof(buffers) / sizeof(buffers[0]); i++) harness_guarded_free(buffers[i]);
  return bad;
}

long test_dwconv3x3(const ffem_qs8_dwconv_config *kernel, const ffem_qs8_dwconv_config *oracle, uint64_t seed) {
  static const size_t channels[] = {1, 3, 8, 13, 15, 16, 17, 24, 31, 32, 33, 127};
  static const size_t sides[][2] = {{1, 1}, {2, 3}, {3, 3}, {4, 5}, {7, 7}, {9, 13}};
  harness_rng r = {seed};
  long bad = 0;
  int mode = 0;
  for (size_t a = 0; a < sizeof(channels) / sizeof(channels[0]); a++) {
    for (size_t b = 0; b < sizeof(sides) / sizeof(sides[0]); b++) {
      for (uint32_t stride = 1; stride <= 2; stride++) {
        for (int repeat = 0; repeat < 3; repeat++) {
          conv_case c;
          if (!make_geometry(&r, sides[b][0], sides[b][1], channels[a], channels[a], stride, &c)) continue;
          bad += dwconv_case(kernel, oracle, &r, &c, mode);
          mode = (mode + 1) % 3;
        }
      }
    }
  }
  conv_case c;  // a MobileFaceNet layer: 14×14×128, stride 1, padding 1 on every side
  memset(&c, 0, sizeof(c));
  c.g = (ffem_qs8_conv3x3_geometry){14, 14, 128, 14, 14, 128, 1, 1, 1, -3};
  c.input_bytes = c.output_bytes = 14 * 14 * 128;
  bad += dwconv_case(kernel, oracle, &r, &c, 0);
  return bad;
}

static long conv_case_run(const ffem_qs8_conv3x3_config *kernel, const ffem_qs8_conv3x3_config *oracle,
                          harness_rng *r, const conv_case *c, int mode) {
  const size_t ci = c->g.input_channels, co = c->g.output_channels;
  int8_t *input = harness_guarded_alloc(c->input_bytes);
  int8_t *weights = harness_guarded_alloc(co * 9 * ci);
  int32_t *bias = harness_guarded_alloc(co * sizeof(int32_t));
  int32_t *multiplier = harness_guarded_alloc(co * sizeof(int32_t));
  int32_t *shift = harness_guarded_alloc(co * sizeof(int32_t));
  harness_fill_s8(r, input, c->input_bytes, -128, 127, mode);
  harness_fill_s8(r, weights, co * 9 * ci, -127, 127, mode);
  harness_fill_s32(r, bias, co, -(1 << 16), 1 << 16);
  ffem_qs8_requant_params params;
  harness_random_requant(r, co, 6000.0 * sqrt(9.0 * (double)ci), multiplier, shift, &params);
  void *kp = harness_guarded_alloc(ffem_x8_pack_conv3x3_size(&kernel->tile, co, ci));
  void *op = harness_guarded_alloc(ffem_x8_pack_conv3x3_size(&oracle->tile, co, ci));
  ffem_x8_pack_conv3x3(&kernel->tile, co, ci, weights, bias, c->g.input_zero_point, kp);
  ffem_x8_pack_conv3x3(&oracle->tile, co, ci, weights, bias, c->g.input_zero_point, op);
  int8_t *expected = harness_guarded_alloc(c->output_bytes);
  int8_t *actual = harness_guarded_alloc(c->output_bytes);
  oracle->ukernel(&c->g, input, op, expected, &params);
  kernel->ukernel(&c->g, input, kp, actual, &params);
  const long bad = compare(kernel->name, c, expected, actual);
  void *buffers[] = {input, weights, bias, multiplier, shift, kp, op, expected, actual};
  for (size_t i = 0; i < sizeof(buffers) / sizeof(buffers[0]); i++) harness_guarded_free(buffers[i]);
  return bad;
}

long test_conv3x3(const ffem_qs8_conv3x3_config *kernel, const ffem_qs8_conv3x3_config *oracle, uint64_t seed) {
  static const size_t inputs[] = {1, 3, 4};
  static const size_t outputs[] = {1, 3, 7, 8, 9, 13, 16, 17, 24, 33};
  static const size_t sides[][2] = {{1, 1}, {3, 3}, {4, 5}, {8, 7}};
  harness_rng r = {seed};
  long bad = 0;
  int mode = 0;
  for (size_t a = 0; a < sizeof(inputs) / sizeof(inputs[0]); a++) {
    for (size_t o = 0; o < sizeof(outputs) / sizeof(outputs[0]); o++) {
      for (size_t b = 0; b < sizeof(sides) / sizeof(sides[0]); b++) {
        for (uint32_t stride = 1; stride <= 2; stride++) {
          conv_case c;
          if (!make_geometry(&r, sides[b][0], sides[b][1], inputs[a], outputs[o], stride, &c)) continue;
          bad += conv_case_run(kernel, oracle, &r, &c, mode);
          mode = (mode + 1) % 3;
        }
      }
    }
  }
  conv_case c;  // the MobileFaceNet stem on a 16×16 corner: 3 → 64 channels, stride 2, SAME padding
  memset(&c, 0, sizeof(c));
  c.g = (ffem_qs8_conv3x3_geometry){16, 16, 3, 8, 8, 64, 2, 0, 0, 0};
  c.input_bytes = 16 * 16 * 3;
  c.output_bytes = 8 * 8 * 64;
  bad += conv_case_run(kernel, oracle, &r, &c, 0);
  return bad;
}
