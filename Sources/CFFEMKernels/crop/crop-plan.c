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
  for (uint32_t j = 0; j < n; j++) {
    const ffem_axis_tap tap = ffem_axis_tap_at(box.x1, box.x2, mirror ? n - 1 - j : j, n, image->width);
    for (uint32_t c = 0; c < 2; c++) {
      plan->offset[c][2 * j] = sample_offset(format, tap.i0, c);
      plan->offset[c][2 * j + 1] = sample_offset(format, tap.i1, c);
    }
    plan->weight[2 * j] = (int16_t)(2048 - tap.w1);
    plan->weight[2 * j + 1] = (int16_t)tap.w1;
  }
  for (uint32_t k = 2 * n; k < plan->sample_count; k += 2) {
    for (uint32_t c = 0; c < 2; c++) plan->offset[c][k] = plan->offset[c][k + 1] = sample_offset(format, 0, c);
    plan->weight[k] = 2048;
    plan->weight[k + 1] = 0;
  }
}
