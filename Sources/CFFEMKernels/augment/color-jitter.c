// CFFEMKernels — photometric augmentation (contract in ffem_augment.h).
#include <math.h>
#include "ffem_augment.h"

static inline uint8_t round_clamp(float v) {
  v = nearbyintf(v);
  return (uint8_t)(v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v));
}

void ffem_u8_color_jitter(uint8_t *rgb, size_t pixels, float brightness_delta, float contrast_factor,
                          float saturation_factor) {
  if (pixels == 0) return;
  const float shift = 255.0f * brightness_delta;
  if (shift != 0.0f)
    for (size_t i = 0; i < pixels * 3; i++) rgb[i] = round_clamp((float)rgb[i] + shift);
  if (contrast_factor != 1.0f) {
    double sum[3] = {0, 0, 0};
    for (size_t i = 0; i < pixels; i++)
      for (int c = 0; c < 3; c++) sum[c] += rgb[3 * i + c];
    const float mean[3] = {(float)(sum[0] / pixels), (float)(sum[1] / pixels), (float)(sum[2] / pixels)};
    for (size_t i = 0; i < pixels; i++)
      for (int c = 0; c < 3; c++) rgb[3 * i + c] = round_clamp(mean[c] + ((float)rgb[3 * i + c] - mean[c]) * contrast_factor);
  }
  if (saturation_factor != 1.0f) {
    for (size_t i = 0; i < pixels; i++) {
      uint8_t *p = rgb + 3 * i;
      const float grey = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
      for (int c = 0; c < 3; c++) p[c] = round_clamp(grey + ((float)p[c] - grey) * saturation_factor);
    }
  }
}

void ffem_u8_cutout(uint8_t *rgb, uint32_t n, int32_t x, int32_t y, int32_t w, int32_t h, uint8_t fill) {
  const int32_t x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
  const int32_t x1 = x + w > (int32_t)n ? (int32_t)n : x + w, y1 = y + h > (int32_t)n ? (int32_t)n : y + h;
  for (int32_t i = y0; i < y1; i++)
    for (int32_t j = x0; j < x1; j++)
      for (int c = 0; c < 3; c++) rgb[((size_t)i * n + j) * 3 + c] = fill;
}
