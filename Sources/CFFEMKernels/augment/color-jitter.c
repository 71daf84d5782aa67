// CFFEMKernels — photometric augmentation (contract in ffem_augment.h).
#include "ffem_augment.h"

/// Clamps to [0, 255], then rounds half up (v ≥ 0 there, so truncation of v + 0.5 is a floor).
static inline uint8_t round_clamp(float v) {
  v = v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v);
  return (uint8_t)(int32_t)(v + 0.5f);
}

void ffem_u8_color_jitter(uint8_t *rgb, size_t pixels, float brightness_delta, float contrast_factor,
                          float saturation_factor) {
  if (pixels == 0) return;
  // Brightness and contrast are per-value maps: tables. Saturation mixes channels: per pixel.
  uint8_t brightness[256];
  const float shift = 255.0f * brightness_delta;
  for (int v = 0; v < 256; v++) brightness[v] = round_clamp((float)v + shift);
  uint8_t contrast[3][256];
  if (contrast_factor != 1.0f) {
    uint64_t sum[3] = {0, 0, 0};
    for (size_t i = 0; i < pixels; i++)
      for (int c = 0; c < 3; c++) sum[c] += brightness[rgb[3 * i + c]];
    for (int c = 0; c < 3; c++) {
      const float mean = (float)((double)sum[c] / (double)pixels);
      for (int v = 0; v < 256; v++) contrast[c][v] = round_clamp(mean + ((float)brightness[v] - mean) * contrast_factor);
    }
  } else {
    for (int c = 0; c < 3; c++)
      for (int v = 0; v < 256; v++) contrast[c][v] = brightness[v];
  }
  if (saturation_factor == 1.0f) {
    for (size_t i = 0; i < pixels; i++)
      for (int c = 0; c < 3; c++) rgb[3 * i + c] = contrast[c][rgb[3 * i + c]];
    return;
  }
  // Saturation in fixed point: g = (77R + 150G + 29B + 128) >> 8 (BT.601 weights in Q8),
  // p = g + ((p − g)·s_q8 + 128) >> 8 with s_q8 = round(256·saturation_factor).
  const int32_t s_q8 = (int32_t)(saturation_factor * 256.0f + 0.5f);
  for (size_t i = 0; i < pixels; i++) {
    uint8_t *p = rgb + 3 * i;
    const int32_t r = contrast[0][p[0]], g = contrast[1][p[1]], b = contrast[2][p[2]];
    const int32_t grey = (77 * r + 150 * g + 29 * b + 128) >> 8;
    const int32_t v[3] = {grey + (((r - grey) * s_q8 + 128) >> 8), grey + (((g - grey) * s_q8 + 128) >> 8),
                          grey + (((b - grey) * s_q8 + 128) >> 8)};
    for (int c = 0; c < 3; c++) p[c] = (uint8_t)(v[c] < 0 ? 0 : (v[c] > 255 ? 255 : v[c]));
  }
}

void ffem_u8_cutout(uint8_t *rgb, uint32_t n, int32_t x, int32_t y, int32_t w, int32_t h, uint8_t fill) {
  const int32_t x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
  const int32_t x1 = x + w > (int32_t)n ? (int32_t)n : x + w, y1 = y + h > (int32_t)n ? (int32_t)n : y + h;
  for (int32_t i = y0; i < y1; i++)
    for (int32_t j = x0; j < x1; j++)
      for (int c = 0; c < 3; c++) rgb[((size_t)i * n + j) * 3 + c] = fill;
}
