// CFFEMKernels — ffem_crop_rgb_ukernel__scalar: the one crop routine, scalar fixed point (contract in
// ffem_image.h), and the scalar network-input conversion. Never optimised in place: it is the oracle.
#include "ffem_image.h"
#include "crop-axis.h"
#include "pixel-fetch.h"

/// The crop loop for one pixel format; `format` is a compile-time constant at each call site, so the
/// per-pixel fetch is specialised (no switch per pixel).
static inline __attribute__((always_inline)) void crop_rows(const ffem_image_view *image, const ffem_axis_tap *columns,
                                                            ffem_box_q16 box, uint32_t n, ffem_pixel_format format,
                                                            uint8_t *out) {
  ffem_image_view view = *image;
  view.format = format;
  for (uint32_t i = 0; i < n; i++) {
    const ffem_axis_tap row = ffem_axis_tap_at(box.y1, box.y2, i, n, image->height);
    const int32_t wy1 = row.w1, wy0 = 2048 - row.w1;
    uint8_t *o = out + (size_t)i * n * 3;
    for (uint32_t j = 0; j < n; j++) {
      const ffem_axis_tap col = columns[j];
      const int32_t wx1 = col.w1, wx0 = 2048 - col.w1;
      uint8_t p00[3], p01[3], p10[3], p11[3];
      ffem_fetch_rgb(&view, col.i0, row.i0, p00);
      ffem_fetch_rgb(&view, col.i1, row.i0, p01);
      ffem_fetch_rgb(&view, col.i0, row.i1, p10);
      ffem_fetch_rgb(&view, col.i1, row.i1, p11);
      for (int c = 0; c < 3; c++) {
        const int32_t top = p00[c] * wx0 + p01[c] * wx1;     // ≤ 255·2^11
        const int32_t bottom = p10[c] * wx0 + p11[c] * wx1;
        o[3 * j + c] = (uint8_t)((top * wy0 + bottom * wy1 + (1 << 21)) >> 22);  // ≤ 255·2^22 + 2^21 < 2^31
      }
    }
  }
}

// The oracle of every SIMD crop kernel: the contract of ffem_crop_rgb() computed pixel by pixel,
// exactly as written there. ffem_crop_rgb() has validated the arguments.
void ffem_crop_rgb_ukernel__scalar(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror,
                                   uint8_t *out) {
  ffem_axis_tap columns[FFEM_CROP_MAX_SIDE];
  for (uint32_t j = 0; j < n; j++) columns[j] = ffem_axis_tap_at(box.x1, box.x2, mirror ? n - 1 - j : j, n, image->width);
  switch (image->format) {
    case FFEM_PIXEL_RGB24: crop_rows(image, columns, box, n, FFEM_PIXEL_RGB24, out); break;
    case FFEM_PIXEL_BGR24: crop_rows(image, columns, box, n, FFEM_PIXEL_BGR24, out); break;
    case FFEM_PIXEL_GREY: crop_rows(image, columns, box, n, FFEM_PIXEL_GREY, out); break;
    case FFEM_PIXEL_YUYV: crop_rows(image, columns, box, n, FFEM_PIXEL_YUYV, out); break;
    case FFEM_PIXEL_UYVY: crop_rows(image, columns, box, n, FFEM_PIXEL_UYVY, out); break;
    case FFEM_PIXEL_NV12: crop_rows(image, columns, box, n, FFEM_PIXEL_NV12, out); break;
  }
}

void ffem_yuv_to_rgb(uint8_t y, uint8_t u, uint8_t v, ffem_yuv_range range, uint8_t rgb[3]) {
  ffem_yuv_to_rgb_inline(y, u, v, range, rgb);
}

void ffem_image_pixel_rgb(const ffem_image_view *image, uint32_t x, uint32_t y, uint8_t rgb[3]) {
  ffem_fetch_rgb(image, x, y, rgb);
}

void ffem_u8_to_f32_centered_ukernel__scalar(const uint8_t *pixels, size_t count, float *out) {
  for (size_t i = 0; i < count; i++) out[i] = ((float)pixels[i] - 128.0f) * (1.0f / 128.0f);
}
