// FFEM ARM harness — GEMM tester (1×1 convolution and FC): sizes around the tiles, odd channel
// counts, prime strides, extreme values, saturating requantization and clamps.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testers.h"

static const size_t ms[] = {1, 2, 3, 4, 5, 7, 8, 9, 13};
static const size_t ns[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 24, 31, 127};
static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 24, 31, 33, 127};

static long gemm_case(const ffem_qs8_gemm_config *kernel, const ffem_qs8_gemm_config *oracle, harness_rng *r,
                      size_t m, size_t n, size_t k, int mode) {
  static const size_t prime_pads[] = {0, 3, 7, 11};
  const size_t input_stride = k + prime_pads[harness_range(r, 0, 3)];
  const size_t output_stride = n + prime_pads[harness_range(r, 0, 3)];
  const size_t input_bytes = (m - 1) * input_stride + k;
  const size_t output_bytes = (m - 1) * output_stride + n;
  int8_t *input = harness_guarded_alloc(input_bytes);
  int8_t *weights = harness_guarded_alloc(n * k);
  int32_t *bias = harness_guarded_alloc(n * sizeof(int32_t));
  int32_t *multiplier = harness_guarded_alloc(n * sizeof(int32_t));
  int32_t *shift = harness_guarded_alloc(n * sizeof(int32_t));
  harness_fill_s8(r, input, input_bytes, -128, 127, mode);
  harness_fill_s8(r, weights, n * k, -127, 127, mode);
  harness_fill_s32(r, bias, n, -(1 << 20), 1 << 20);
  const int32_t input_zero_point = harness_range(r, -128, 127);
  ffem_qs8_requant_params params;
  harness_random_requant(r, n, 6000.0 * sqrt((double)k), multiplier, shift, &params);

  const size_t kernel_packed_bytes = ffem_x8_pack_gemm_size(&kernel->tile, n, k);
  const size_t oracle_packed_bytes = ffem_x8_pack_gemm_size(&oracle->tile, n, k);
  void *kernel_packed = harness_guarded_alloc(kernel_packed_bytes);
  void *oracle_packed = harness_guarded_alloc(oracle_packed_bytes);
  ffem_x8_pack_gemm(&kernel->tile, n, k, weights, bias, input_zero_point, kernel_packed);
  ffem_x8_pack_gemm(&oracle->tile, n, k, weights, bias, input_zero_point, oracle_packed);
  int8_t *expected = harness_guarded_alloc(output_bytes);
  int8_t *actual = harness_guarded_alloc(output_bytes);
  oracle->ukernel(m, n, k, input, input_stride, oracle_packed, expected, output_stride, &params);
  kernel->ukernel(m, n, k, input, input_stride, kernel_packed, actual, output_stride, &params);

  long bad = 0;
  for (size_t i = 0; i < output_bytes; i++) {
    if (actual[i] != expected[i]) {
      bad++;
      harness_check(0, "%s m=%zu n=%zu k=%zu strides=%zu/%zu row %zu col %zu: expected %d, got %d", kernel->name, m,
                    n, k, input_stride, output_stride, i / output_stride, i % output_stride, expected[i], actual[i]);
      break;
    }
  }
  if (bad == 0) harness_pass();
  harness_guarded_free(input);
  harness_guarded_free(weights);
  harness_guarded_free(bias);
  harness_guarded_free(multiplier);
  harness_guarded_free(shift);
  harness_guarded_free(kernel_packed);
  harness_guarded_free(oracle_packed);
  harness_guarded_free(expected);
  harness_guarded_free(actual);
  return bad;
}

long test_gemm(const ffem_qs8_gemm_config *kernel, const ffem_qs8_gemm_config *oracle, uint64_t seed) {
  harness_rng r = {seed};
  long bad = 0;
  int mode = 0;
  for (size_t a = 0; a < sizeof(ms) / sizeof(ms[0]); a++) {
    for (size_t b = 0; b < sizeof(ns) / sizeof(ns[0]); b++) {
      for (size_t c = 0; c < sizeof(ks) / sizeof(ks[0]); c++) {
        bad += gemm_case(kernel, oracle, &r, ms[a], ns[b], ks[c], mode);
        mode = (mode + 1) % 3;
      }
    }
  }
  // MobileFaceNet-like layer shapes (7×7 and 14×14 feature maps).
  bad += gemm_case(kernel, oracle, &r, 49, 128, 64, 0);
  bad += gemm_case(kernel, oracle, &r, 196, 64, 128, 0);
  bad += gemm_case(kernel, oracle, &r, 1, 512, 512, 0);
  return bad;
}
