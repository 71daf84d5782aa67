// FFEM ARM harness — the crop and pixel-convert kernels (ffem_image.h) against the scalar oracle,
// bit-exact: every pixel format (RGB24, BGR24, grey, YUYV, UYVY, NV12; both YUV ranges), mirror on and
// off, boxes inside, partly outside and wholly outside the image, sub-pixel and huge boxes, odd image
// sizes and padded strides, crop sides around the vector widths (1…33, 47, 63–65, 112, 113, 1024).
// Images and outputs end at an inaccessible page, so a kernel that reads past the image or writes
// past n·n·3 bytes dies with SIGSEGV. Also: the network-input conversion, and the dispatcher's crop
// choice per CPU model.
#include <stdio.h>
#include <string.h>

#include "ffem_image.h"
#include "ffem_qs8.h"
#include "testers.h"

static const char *format_name(ffem_pixel_format format) {
  static const char *names[] = {"rgb24", "bgr24", "grey", "yuyv", "uyvy", "nv12"};
  return (unsigned)format < 6 ? names[format] : "?";
}

/// A random image of `format` with random padding after each row; planes from harness_guarded_alloc.
typedef struct test_image {
  ffem_image_view view;
  uint8_t *plane0, *plane1;
} test_image;

static void fill_bytes(harness_rng *r, uint8_t *p, size_t n, int extremes) {
  for (size_t i = 0; i < n; i++) {
    const uint64_t x = harness_next(r);
    p[i] = extremes && (x & 3) == 0 ? ((x >> 8) & 1 ? 255 : 0) : (uint8_t)(x >> 16);
  }
}

static test_image make_image(harness_rng *r, ffem_pixel_format format, uint32_t width, uint32_t height) {
  test_image im;
  memset(&im, 0, sizeof(im));
  const size_t even_width = (width + 1) & ~1u;
  size_t row_bytes = width;
  if (format == FFEM_PIXEL_RGB24 || format == FFEM_PIXEL_BGR24) row_bytes = 3 * (size_t)width;
  if (format == FFEM_PIXEL_YUYV || format == FFEM_PIXEL_UYVY) row_bytes = 2 * even_width;
  const size_t stride = row_bytes + (size_t)harness_range(r, 0, 1) * (size_t)harness_range(r, 1, 13);
  // The last row ends at the guard page: only its row_bytes bytes are allocated.
  const size_t bytes = stride * (height - 1) + row_bytes;
  const int extremes = harness_range(r, 0, 3) == 0;
  im.plane0 = harness_guarded_alloc(bytes);
  fill_bytes(r, im.plane0, bytes, extremes);
  im.view.data = im.plane0;
  im.view.width = width;
  im.view.height = height;
  im.view.stride = stride;
  im.view.format = format;
  im.view.yuv_range = harness_range(r, 0, 1) ? FFEM_YUV_FULL : FFEM_YUV_LIMITED;
  if (format == FFEM_PIXEL_NV12) {
    const size_t chroma_rows = (height + 1) / 2;
    const size_t chroma_stride = even_width + (size_t)harness_range(r, 0, 1) * 2 * (size_t)harness_range(r, 1, 5);
    const size_t chroma_bytes = chroma_stride * (chroma_rows - 1) + even_width;
    im.plane1 = harness_guarded_alloc(chroma_bytes);
    fill_bytes(r, im.plane1, chroma_bytes, extremes);
    im.view.chroma = im.plane1;
    im.view.chroma_stride = chroma_stride;
  }
  return im;
}

static void free_image(test_image *im) {
  harness_guarded_free(im->plane0);
  harness_guarded_free(im->plane1);
}

/// A Q16 coordinate: uniform in [lo, hi] pixels with a random fraction.
static int64_t random_q16(harness_rng *r, int32_t lo, int32_t hi) {
  return (int64_t)harness_range(r, lo, hi) * 65536 + harness_range(r, 0, 65535);
}

/// A box of one of several kinds relative to a width × height image.
static ffem_box_q16 random_box(harness_rng *r, uint32_t width, uint32_t height, int kind) {
  const int32_t w = (int32_t)width, h = (int32_t)height;
  ffem_box_q16 b;
  switch (kind) {
    case 0:  // inside
      b.x1 = random_q16(r, 0, w - 1);
      b.y1 = random_q16(r, 0, h - 1);
      b.x2 = b.x1 + random_q16(r, 0, w);
      b.y2 = b.y1 + random_q16(r, 0, h);
      break;
    case 1:  // partly outside, any side
      b.x1 = random_q16(r, -w, w);
      b.y1 = random_q16(r, -h, h);
      b.x2 = b.x1 + random_q16(r, 1, 2 * w);
      b.y2 = b.y1 + random_q16(r, 1, 2 * h);
      break;
    case 2:  // wholly outside (left/above or right/below)
      b.x1 = harness_range(r, 0, 1) ? random_q16(r, -3 * w - 9, -w - 2) : random_q16(r, w + 1, 3 * w + 9);
      b.y1 = harness_range(r, 0, 1) ? random_q16(r, -3 * h - 9, -h - 2) : random_q16(r, h + 1, 3 * h + 9);
      b.x2 = b.x1 + random_q16(r, 0, w);
      b.y2 = b.y1 + random_q16(r, 0, h);
      break;
    case 3:  // sub-pixel
      b.x1 = random_q16(r, -1, w);
      b.y1 = random_q16(r, -1, h);
      b.x2 = b.x1 + harness_range(r, 1, 65536);
      b.y2 = b.y1 + harness_range(r, 1, 65536);
      break;
    default:  // whole image, exactly
      b.x1 = b.y1 = 0;
      b.x2 = (int64_t)w * 65536;
      b.y2 = (int64_t)h * 65536;
      break;
  }
  if (b.x2 <= b.x1) b.x2 = b.x1 + 1;
  if (b.y2 <= b.y1) b.y2 = b.y1 + 1;
  return b;
}

static long compare_crop(const ffem_image_kernel_table *kernel, const ffem_image_kernel_table *oracle,
                         const test_image *im, ffem_box_q16 box, uint32_t n, int mirror) {
  const size_t bytes = (size_t)n * n * 3;
  uint8_t *expected = harness_guarded_alloc(bytes), *actual = harness_guarded_alloc(bytes);
  memset(actual, 0xA5, bytes);
  const int s0 = ffem_crop_rgb_with_table(oracle, &im->view, box, n, mirror, expected);
  const int s1 = ffem_crop_rgb_with_table(kernel, &im->view, box, n, mirror, actual);
  long bad = 0;
  size_t at = 0;
  while (at < bytes && expected[at] == actual[at]) at++;
  if (s0 != FFEM_CROP_OK || s1 != s0 || at < bytes) {
    harness_check(0,
                  "%s %s%s %ux%u stride %zu n=%u mirror=%d box q16 (%lld,%lld)-(%lld,%lld): status %d/%d, byte %zu "
                  "(row %zu col %zu ch %zu): expected %u, got %u",
                  kernel->crop_rgb.name, format_name(im->view.format),
                  im->view.format >= FFEM_PIXEL_YUYV ? (im->view.yuv_range == FFEM_YUV_FULL ? " full" : " limited") : "",
                  im->view.width, im->view.height, im->view.stride, n, mirror, (long long)box.x1, (long long)box.y1,
                  (long long)box.x2, (long long)box.y2, s0, s1, at, at / (3 * (size_t)n), at % (3 * (size_t)n) / 3,
                  at % 3, at < bytes ? expected[at] : 0, at < bytes ? actual[at] : 0);
    bad = 1;
  } else {
    harness_pass();
  }
  harness_guarded_free(expected);
  harness_guarded_free(actual);
  return bad;
}

static long test_u8_to_f32(const ffem_image_kernel_table *kernel, const ffem_image_kernel_table *oracle,
                           harness_rng *r) {
  long bad = 0;
  for (size_t count = 0; count <= 1000; count = count < 70 ? count + 1 : count * 3) {
    uint8_t *p = harness_guarded_alloc(count + 1);
    float *expected = harness_guarded_alloc((count + 1) * sizeof(float));
    float *actual = harness_guarded_alloc((count + 1) * sizeof(float));
    fill_bytes(r, p, count, 1);
    oracle->u8_to_f32_centered.ukernel(p, count, expected);
    kernel->u8_to_f32_centered.ukernel(p, count, actual);
    if (memcmp(expected, actual, count * sizeof(float)) != 0) {
      harness_check(0, "%s: count %zu differs", kernel->u8_to_f32_centered.name, count);
      bad++;
    } else {
      harness_pass();
    }
    harness_guarded_free(p);
    harness_guarded_free(expected);
    harness_guarded_free(actual);
  }
  return bad;
}

long test_crop_kernels(const ffem_image_kernel_table *kernel, const ffem_image_kernel_table *oracle, uint64_t seed) {
  static const uint32_t sides[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64, 65, 112, 113};
  harness_rng r = {seed};
  long bad = 0;
  for (int format = FFEM_PIXEL_RGB24; format <= FFEM_PIXEL_NV12; format++) {
    for (size_t s = 0; s < sizeof(sides) / sizeof(sides[0]); s++) {
      for (int repeat = 0; repeat < 3; repeat++) {
        const int tiny = harness_range(&r, 0, 7) == 0;
        const uint32_t width = tiny ? (uint32_t)harness_range(&r, 1, 3) : (uint32_t)harness_range(&r, 1, 97);
        const uint32_t height = tiny ? (uint32_t)harness_range(&r, 1, 3) : (uint32_t)harness_range(&r, 1, 83);
        test_image im = make_image(&r, (ffem_pixel_format)format, width, height);
        const int kind = (int)((s + (size_t)repeat) % 5);
        const ffem_box_q16 box = random_box(&r, width, height, kind);
        bad += compare_crop(kernel, oracle, &im, box, sides[s], repeat == 1 ? 1 : (int)harness_range(&r, 0, 1));
        free_image(&im);
      }
    }
    // The largest side, once per format (an upscale of a small image).
    test_image im = make_image(&r, (ffem_pixel_format)format, 37, 29);
    bad += compare_crop(kernel, oracle, &im, random_box(&r, 37, 29, 1), FFEM_CROP_MAX_SIDE, format & 1);
    free_image(&im);
  }
  bad += test_u8_to_f32(kernel, oracle, &r);
  return bad;
}

long test_crop_dispatch(const char *expect) {
  const uint32_t features = ffem_cpu_features();
  const uint32_t mask = ffem_isa_mask_from_environment(NULL);
  ffem_image_kernel_table table, everything;
  ffem_image_kernel_table_fill(&table, mask);
  ffem_image_kernel_table_fill(&everything, ~0u);
  printf("selected image kernels: crop=%s u8_to_f32=%s\n", table.crop_rgb.name, table.u8_to_f32_centered.name);
  long bad = 0;
#define EXPECT(ok, what)                      \
  do {                                        \
    const int ok_ = (ok);                     \
    harness_check(ok_, "dispatch: %s", what); \
    bad += !ok_;                              \
  } while (0)
  EXPECT((table.crop_rgb.isa & ~(features & mask)) == 0 && (table.u8_to_f32_centered.isa & ~(features & mask)) == 0,
         "an image kernel needs an ISA outside features ∩ mask");
  EXPECT((everything.crop_rgb.isa & ~features) == 0 && (everything.u8_to_f32_centered.isa & ~features) == 0,
         "the all-ones mask put an image kernel the CPU lacks into the table");
  const ffem_image_kernel_table *d = ffem_image_kernels_default();
  EXPECT(d->crop_rgb.ukernel == table.crop_rgb.ukernel, "ffem_crop_rgb does not use the FFEM_ISA table");
  uint32_t want = FFEM_ISA_SCALAR;
  if (strcmp(expect, "cortex-a72") == 0 || strcmp(expect, "cortex-a53") == 0 || strcmp(expect, "cortex-a76") == 0 ||
      strcmp(expect, "max") == 0 || strcmp(expect, "cortex-a76-forced-neon") == 0) {
    want = FFEM_ISA_NEON;
  } else if (strcmp(expect, "armv7") == 0) {
    want = FFEM_ISA_ARMV7NEON;
  }
  EXPECT(table.crop_rgb.isa == want && table.u8_to_f32_centered.isa == want, "unexpected image kernel ISA");
#undef EXPECT
  return bad;
}
