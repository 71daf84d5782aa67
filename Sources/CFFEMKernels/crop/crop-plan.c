// CFFEMKernels — ffem_crop_plan_init: the per-crop tables of the SIMD crop kernels (crop-plan.h).
#include "crop-plan.h"

/// Byte offset, within its row, of channel c of source pixel x (c: R,G,B or Y,Cb,Cr as gathered).
/// These are the addresses ffem_fetch_rgb() (pixel-fetch.h) reads.
static uint32_t sample_offset(ffem_pixel_format format, uint32_t x, uint32_t c) {
  const uint32_t pair = 4 * (x >> 1);  // YUYV/UYVY: the 4-byte group of pixels 2⌊x/2⌋ and 2⌊x/2⌋+1
  switch (format) {
    case FFEM_PIXEL_RGB24: return 3 * x + c;
    case FFEM_PIXEL_BGR24: return 3 * x + (2 - c);
    case FFEM_PIXEL_GREY: return x;
    case FFEM_PIXEL_YUYV: return c == 0 ? 2 * x : pair + (c == 1 ? 1 : 3);
    case FFEM_PIXEL_UYVY: return c == 0 ? 2 * x + 1 : pair + (c == 1 ? 0 : 2);
    case FFEM_PIXEL_NV12: return c == 0 ? x : 2 * (x >> 1) + (c - 1);  // c > 0: the chroma plane
  }
  return 0;
}

/// Sample k of every row reads source pixel x: its offsets and byte adjustment for the plan's gather.
static void set_sample(ffem_crop_plan *plan, ffem_pixel_format format, uint32_t k, uint32_t x) {
  switch (plan->gather) {
    case FFEM_CROP_GATHER_BYTES:
      plan->offset[0][k] = sample_offset(format, x, 0);
      plan->offset[1][k] = sample_offset(format, x, 1);
      plan->adjust[k] = 0;
      return;
    case FFEM_CROP_GATHER_RGB:  // the word ending at the pixel's last byte (channels at 1…3), or at byte 0
      plan->offset[0][k] = x > 0 ? 3 * x - 1 : 0;
      plan->offset[1][k] = 0;
      plan->adjust[k] = x > 0 ? 1 : 0;
      return;
    case FFEM_CROP_GATHER_YUV422:  // the pixel pair's group; the second pixel's Y is 2 bytes after the first's
      plan->offset[0][k] = 4 * (x >> 1);
      plan->offset[1][k] = 0;
      plan->adjust[k] = (uint8_t)(2 * (x & 1));
      return;
    case FFEM_CROP_GATHER_NV12:
      plan->offset[0][k] = x;
      plan->offset[1][k] = 2 * (x >> 1);
      plan->adjust[k] = 0;
      return;
  }
}

void ffem_crop_plan_init(ffem_crop_plan *plan, const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror) {
  const ffem_pixel_format format = image->format;
  const int nv12 = format == FFEM_PIXEL_NV12;
  plan->n = n;
  plan->sample_count = (2 * n + 31) & ~31u;
  plan->channel_count = format == FFEM_PIXEL_GREY ? 1 : 3;
  plan->is_yuv = format == FFEM_PIXEL_YUYV || format == FFEM_PIXEL_UYVY || nv12;
  plan->yuv_range = image->yuv_range;
  plan->plane[0] = image->data;
  plan->stride[0] = image->stride;
  plan->row_shift[0] = 0;
  plan->plane[1] = nv12 ? image->chroma : image->data;
  plan->stride[1] = nv12 ? image->chroma_stride : image->stride;
  plan->row_shift[1] = nv12 ? 1 : 0;
  // Channel 2's offset minus channel 1's is the same for every pixel x of a format.
  plan->channel2_delta = (int32_t)sample_offset(format, 0, 2) - (int32_t)sample_offset(format, 0, 1);
  ffem_crop_word_layout layout = {{0, 1, 2}, 0, 0};
  switch (format) {
    case FFEM_PIXEL_RGB24:
    case FFEM_PIXEL_BGR24:
      // A 1-pixel-wide row has no 4-byte word inside it.
      plan->gather = image->width >= 2 ? FFEM_CROP_GATHER_RGB : FFEM_CROP_GATHER_BYTES;
      layout.position[0] = format == FFEM_PIXEL_RGB24 ? 0 : 2;
      layout.position[2] = format == FFEM_PIXEL_RGB24 ? 2 : 0;
      layout.adjusted_channels = 7;
      layout.adjust_delta = 1;
      break;
    case FFEM_PIXEL_YUYV:
    case FFEM_PIXEL_UYVY: {
      // In the group word of pixel 0: Y of pixel 0 (pixel 1's is 2 bytes later), Cb, Cr.
      plan->gather = FFEM_CROP_GATHER_YUV422;
      for (uint32_t c = 0; c < 3; c++) layout.position[c] = (uint8_t)sample_offset(format, 0, c);
      layout.adjusted_channels = 1;
      layout.adjust_delta = 2;
      break;
    }
    case FFEM_PIXEL_NV12:
      plan->gather = FFEM_CROP_GATHER_NV12;
      break;
    default:
      plan->gather = FFEM_CROP_GATHER_BYTES;
      break;
  }
  plan->layout = layout;
  for (uint32_t j = 0; j < n; j++) {
    const ffem_axis_tap tap = ffem_axis_tap_at(box.x1, box.x2, mirror ? n - 1 - j : j, n, image->width);
    set_sample(plan, format, 2 * j, tap.i0);
    set_sample(plan, format, 2 * j + 1, tap.i1);
    plan->weight[2 * j] = (int16_t)(2048 - tap.w1);
    plan->weight[2 * j + 1] = (int16_t)tap.w1;
  }
  for (uint32_t k = 2 * n; k < plan->sample_count; k++) {
    set_sample(plan, format, k, 0);
    plan->weight[k] = k % 2 == 0 ? 2048 : 0;
  }
}
