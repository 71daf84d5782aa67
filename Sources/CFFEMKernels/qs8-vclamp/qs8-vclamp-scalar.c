// CFFEMKernels — ffem_qs8_vclamp_ukernel__scalar: ReLU/ReLU6 as a clamp, and the activation bounds.
#include "ffem_qs8.h"

void ffem_qs8_vclamp_ukernel__scalar(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                     int8_t output_max) {
  for (size_t i = 0; i < count; i++) {
    const int8_t x = input[i];
    output[i] = x < output_min ? output_min : (x > output_max ? output_max : x);
  }
}

static int32_t clamp_to_int8(int64_t value) { return (int32_t)(value < -128 ? -128 : (value > 127 ? 127 : value)); }

void ffem_qs8_activation_bounds(ffem_activation activation, float scale, int32_t zero_point, int32_t *output_min,
                                int32_t *output_max) {
  *output_min = -128;
  *output_max = 127;
  if (activation == FFEM_ACTIVATION_RELU || activation == FFEM_ACTIVATION_RELU6) {
    *output_min = clamp_to_int8(zero_point);
  }
  if (activation == FFEM_ACTIVATION_RELU6) {
    // TFLite: zp + round(6.f / scale), the quotient in float, rounded half away from zero.
    const double six_steps = (double)(6.0f / scale);
    const int64_t rounded = six_steps >= 0.0 && six_steps < 1e9 ? (int64_t)(six_steps + 0.5) : 1000000000;
    *output_max = clamp_to_int8((int64_t)zero_point + rounded);
  }
}
