// CFFEMKernels — ffem_crop_rgb: the one crop routine, scalar fixed point (contract in ffem_image.h).
#include "ffem_image.h"
#include "pixel-fetch.h"

/// One axis of the sampling grid: the two clamped source indices and the 11-bit weight of the second.
typedef struct axis_tap {
  uint32_t i0, i1;
  int32_t w1;
} axis_tap;

/// Sample k of n over [lo, hi) (Q16 edges) in a source of `size` pixels:
///   s_q16 = lo + floor((2k+1)(hi−lo) / 2n) − 32768;  w1 = round(frac(s) · 2048).
/// (hi − lo < 2^37 and 2k+1 < 2^11, so the product stays below 2^48.)
static axis_tap axis_tap_at(int64_t lo, int64_t hi, uint32_t k, uint32_t n, uint32_t size) {
  const int64_t s = lo + ((int64_t)(2 * k + 1) * (hi - lo)) / (2 * (int64_t)n) - 32768;
  const int64_t i0 = s >> 16;  // floor
  const int64_t last = (int64_t)size - 1;
  axis_tap tap;
  tap.i0 = (uint32_t)(i0 < 0 ? 0 : (i0 > last ? last : i0));
  tap.i1 = (uint32_t)(i0 + 1 < 0 ? 0 : (i0 + 1 > last ? last : i0 + 1));
  tap.w1 = (int32_t)(((s & 0xFFFF) + 16) >> 5);
  return tap;
}

static int image_is_valid(const ffem_image_view *im) {
  if (im->data == NULL || im->width == 0 || im->height == 0) return 0;
  switch (im->format) {
    case FFEM_PIXEL_RGB24:
    case FFEM_PIXEL_BGR24: return im->stride >= (size_t)im->width * 3;
    case FFEM_PIXEL_GREY: return im->stride >= im->width;
    case FFEM_PIXEL_YUYV:
    case FFEM_PIXEL_UYVY: return im->stride >= (size_t)((im->width + 1) & ~1u) * 2;
    case FFEM_PIXEL_NV12:
      return im->stride >= im->width && im->chroma != NULL && im->chroma_stride >= (size_t)((im->width + 1) & ~1u);
  }
  return 0;
}

/// The crop loop for one pixel format; `format` is a compile-time constant at each call site, so the
/// per-pixel fetch is specialised (no switch per pixel).
static inline __attribute__((always_inline)) void crop_rows(const ffem_image_view *image, const axis_tap *columns,
                                                            ffem_box_q16 box, uint32_t n, ffem_pixel_format format,
                                                            uint8_t *out) {
  ffem_image_view view = *image;
  view.format = format;
  for (uint32_t i = 0; i < n; i++) {
    const axis_tap row = axis_tap_at(box.y1, box.y2, i, n, image->height);
    const int32_t wy1 = row.w1, wy0 = 2048 - row.w1;
    uint8_t *o = out + (size_t)i * n * 3;
    for (uint32_t j = 0; j < n; j++) {
      const axis_tap col = columns[j];
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

int ffem_crop_rgb(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out) {
  if (n == 0 || n > FFEM_CROP_MAX_SIDE) return FFEM_CROP_BAD_SIZE;
  if (!image_is_valid(image)) return FFEM_CROP_BAD_IMAGE;
  if (box.x2 <= box.x1 || box.y2 <= box.y1) return FFEM_CROP_EMPTY_BOX;
  axis_tap columns[FFEM_CROP_MAX_SIDE];
  for (uint32_t j = 0; j < n; j++) columns[j] = axis_tap_at(box.x1, box.x2, mirror ? n - 1 - j : j, n, image->width);
  switch (image->format) {
    case FFEM_PIXEL_RGB24: crop_rows(image, columns, box, n, FFEM_PIXEL_RGB24, out); break;
    case FFEM_PIXEL_BGR24: crop_rows(image, columns, box, n, FFEM_PIXEL_BGR24, out); break;
    case FFEM_PIXEL_GREY: crop_rows(image, columns, box, n, FFEM_PIXEL_GREY, out); break;
    case FFEM_PIXEL_YUYV: crop_rows(image, columns, box, n, FFEM_PIXEL_YUYV, out); break;
    case FFEM_PIXEL_UYVY: crop_rows(image, columns, box, n, FFEM_PIXEL_UYVY, out); break;
    case FFEM_PIXEL_NV12: crop_rows(image, columns, box, n, FFEM_PIXEL_NV12, out); break;
  }
  return FFEM_CROP_OK;
}

void ffem_yuv_to_rgb(uint8_t y, uint8_t u, uint8_t v, ffem_yuv_range range, uint8_t rgb[3]) {
  ffem_yuv_to_rgb_inline(y, u, v, range, rgb);
}

void ffem_image_pixel_rgb(const ffem_image_view *image, uint32_t x, uint32_t y, uint8_t rgb[3]) {
  ffem_fetch_rgb(image, x, y, rgb);
}

void ffem_u8_to_f32_centered(const uint8_t *pixels, size_t count, float *out) {
  for (size_t i = 0; i < count; i++) out[i] = ((float)pixels[i] - 128.0f) * (1.0f / 128.0f);
}
