// CFFEMKernels — per-format "pixel (x, y) as RGB" rules shared by the crop loops (internal).
#ifndef FFEM_PIXEL_FETCH_H
#define FFEM_PIXEL_FETCH_H
#include "ffem_image.h"

static inline uint8_t ffem_clamp_u8(int32_t v) { return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v)); }

static inline __attribute__((always_inline)) void ffem_yuv_to_rgb_inline(int32_t y, int32_t u, int32_t v, ffem_yuv_range range, uint8_t *rgb) {
  const int32_t d = u - 128, e = v - 128;
  if (range == FFEM_YUV_LIMITED) {
    const int32_t c = 298 * (y - 16) + 128;
    rgb[0] = ffem_clamp_u8((c + 409 * e) >> 8);
    rgb[1] = ffem_clamp_u8((c - 100 * d - 208 * e) >> 8);
    rgb[2] = ffem_clamp_u8((c + 516 * d) >> 8);
  } else {
    const int32_t c = 256 * y + 128;
    rgb[0] = ffem_clamp_u8((c + 359 * e) >> 8);
    rgb[1] = ffem_clamp_u8((c - 88 * d - 183 * e) >> 8);
    rgb[2] = ffem_clamp_u8((c + 454 * d) >> 8);
  }
}

static inline __attribute__((always_inline)) void ffem_fetch_rgb(const ffem_image_view *im, uint32_t x, uint32_t y, uint8_t *rgb) {
  const uint8_t *row = im->data + (size_t)y * im->stride;
  switch (im->format) {
    case FFEM_PIXEL_RGB24: rgb[0] = row[3 * x]; rgb[1] = row[3 * x + 1]; rgb[2] = row[3 * x + 2]; return;
    case FFEM_PIXEL_BGR24: rgb[0] = row[3 * x + 2]; rgb[1] = row[3 * x + 1]; rgb[2] = row[3 * x]; return;
    case FFEM_PIXEL_GREY: rgb[0] = rgb[1] = rgb[2] = row[x]; return;
    case FFEM_PIXEL_YUYV: {
      const uint8_t *pair = row + 4 * (x >> 1);
      ffem_yuv_to_rgb_inline(row[2 * x], pair[1], pair[3], im->yuv_range, rgb);
      return;
    }
    case FFEM_PIXEL_UYVY: {
      const uint8_t *pair = row + 4 * (x >> 1);
      ffem_yuv_to_rgb_inline(row[2 * x + 1], pair[0], pair[2], im->yuv_range, rgb);
      return;
    }
    case FFEM_PIXEL_NV12: {
      const uint8_t *uv = im->chroma + (size_t)(y >> 1) * im->chroma_stride + 2 * (x >> 1);
      ffem_yuv_to_rgb_inline(row[x], uv[0], uv[1], im->yuv_range, rgb);
      return;
    }
  }
  rgb[0] = rgb[1] = rgb[2] = 0;
}
#endif
