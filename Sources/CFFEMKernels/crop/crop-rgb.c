// CFFEMKernels — ffem_crop_rgb and ffem_u8_to_f32_centered: argument checks, then the kernel of the
// best ISA (ffem_image_kernels_default). Contract in ffem_image.h.
#include "ffem_image.h"
#include "ffem_qs8.h"

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

int ffem_crop_rgb_with_table(const ffem_image_kernel_table *table, const ffem_image_view *image, ffem_box_q16 box,
                             uint32_t n, int mirror, uint8_t *out) {
  if (n == 0 || n > FFEM_CROP_MAX_SIDE) return FFEM_CROP_BAD_SIZE;
  if (!image_is_valid(image)) return FFEM_CROP_BAD_IMAGE;
  if (box.x2 <= box.x1 || box.y2 <= box.y1) return FFEM_CROP_EMPTY_BOX;
  table->crop_rgb.ukernel(image, box, n, mirror, out);
  return FFEM_CROP_OK;
}

// The default table, filled once on first use: the first caller fills it and publishes the pointer
// (release); a caller racing with it waits for the pointer (the fill takes microseconds), so the
// storage is never read while it is being written.
static ffem_image_kernel_table default_storage;
static int default_claimed;
static const ffem_image_kernel_table *default_table;

const ffem_image_kernel_table *ffem_image_kernels_default(void) {
  const ffem_image_kernel_table *table = __atomic_load_n(&default_table, __ATOMIC_ACQUIRE);
  if (table != NULL) return table;
  if (__atomic_exchange_n(&default_claimed, 1, __ATOMIC_ACQ_REL) == 0) {
    ffem_image_kernel_table_fill(&default_storage, ffem_isa_mask_from_environment(NULL));
    __atomic_store_n(&default_table, &default_storage, __ATOMIC_RELEASE);
    return &default_storage;
  }
  while ((table = __atomic_load_n(&default_table, __ATOMIC_ACQUIRE)) == NULL) {
  }
  return table;
}

int ffem_crop_rgb(const ffem_image_view *image, ffem_box_q16 box, uint32_t n, int mirror, uint8_t *out) {
  return ffem_crop_rgb_with_table(ffem_image_kernels_default(), image, box, n, mirror, out);
}

void ffem_u8_to_f32_centered(const uint8_t *pixels, size_t count, float *out) {
  ffem_image_kernels_default()->u8_to_f32_centered.ukernel(pixels, count, out);
}
