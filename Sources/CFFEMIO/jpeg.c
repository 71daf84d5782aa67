// CFFEMIO — libjpeg-turbo decode (with DCT scaling) and encode, errors caught by setjmp.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include "ffem_io.h"

typedef struct guarded_error {
  struct jpeg_error_mgr base;
  jmp_buf escape;
  char *message;
} guarded_error;

static void on_error(j_common_ptr cinfo) {
  guarded_error *guard = (guarded_error *)cinfo->err;
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  snprintf(guard->message, FFEM_IO_ERROR_SIZE, "corrupt JPEG: %s", text);
  longjmp(guard->escape, 1);
}

/// Warnings (level −1) include "Premature end of JPEG file" and corrupt-data notices: refuse them.
static void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) on_error(cinfo);
}

static void install_guard(j_common_ptr cinfo, guarded_error *guard, char *error) {
  cinfo->err = jpeg_std_error(&guard->base);
  guard->base.error_exit = on_error;
  guard->base.emit_message = on_message;
  guard->message = error;
}

/// Refuses a scale libjpeg cannot do and data that does not start with a JPEG SOI marker.
static int check_input(const uint8_t *data, size_t size, uint32_t d, char *error) {
  if (d != 1 && d != 2 && d != 4 && d != 8) {
    snprintf(error, FFEM_IO_ERROR_SIZE, "JPEG scale 1/%u is not one of 1, 1/2, 1/4, 1/8", d);
    return -1;
  }
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) {
    snprintf(error, FFEM_IO_ERROR_SIZE, "not a JPEG file (no SOI marker)");
    return -1;
  }
  return 0;
}

/// Reads the header and sets up the scaled output; returns 0 or −1 (after longjmp cleanup by caller).
static int prepare(struct jpeg_decompress_struct *cinfo, const uint8_t *data, size_t size, uint32_t denominator,
                   ffem_jpeg_info *info, char *error) {
  jpeg_mem_src(cinfo, data, (unsigned long)size);
  jpeg_read_header(cinfo, TRUE);
  if (cinfo->num_components == 1) {
    cinfo->out_color_space = JCS_GRAYSCALE;
  } else if (cinfo->num_components == 3) {
    cinfo->out_color_space = JCS_RGB;
  } else {
    snprintf(error, FFEM_IO_ERROR_SIZE, "unsupported JPEG: %d colour components (CMYK/YCCK are not supported)",
             cinfo->num_components);
    return -1;
  }
  cinfo->scale_num = 1;
  cinfo->scale_denom = denominator;
  cinfo->dct_method = JDCT_ISLOW;
  jpeg_calc_output_dimensions(cinfo);
  info->width = cinfo->output_width;
  info->height = cinfo->output_height;
  info->components = (uint32_t)cinfo->output_components;
  return 0;
}

int ffem_jpeg_output_info(const uint8_t *data, size_t size, uint32_t scale_denominator, ffem_jpeg_info *info,
                          char *error) {
  if (check_input(data, size, scale_denominator, error) != 0) return -1;
  struct jpeg_decompress_struct cinfo;
  guarded_error guard;
  install_guard((j_common_ptr)&cinfo, &guard, error);
  jpeg_create_decompress(&cinfo);
  if (setjmp(guard.escape)) { jpeg_destroy_decompress(&cinfo); return -1; }
  const int status = prepare(&cinfo, data, size, scale_denominator, info, error);
  jpeg_destroy_decompress(&cinfo);
  return status;
}

int ffem_jpeg_decode(const uint8_t *data, size_t size, uint32_t scale_denominator, uint8_t *out, size_t capacity,
                     ffem_jpeg_info *info, char *error) {
  if (ffem_jpeg_output_info(data, size, scale_denominator, info, error) != 0) return -1;
  if ((size_t)info->width * info->height * info->components > capacity) {
    snprintf(error, FFEM_IO_ERROR_SIZE, "JPEG output buffer too small");
    return -1;
  }
  struct jpeg_decompress_struct cinfo;
  guarded_error guard;
  install_guard((j_common_ptr)&cinfo, &guard, error);
  jpeg_create_decompress(&cinfo);
  if (setjmp(guard.escape)) { jpeg_destroy_decompress(&cinfo); return -1; }
  if (prepare(&cinfo, data, size, scale_denominator, info, error) != 0) { jpeg_destroy_decompress(&cinfo); return -1; }
  jpeg_start_decompress(&cinfo);
  const size_t row_bytes = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out + (size_t)cinfo.output_scanline * row_bytes;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return 0;
}

static uint32_t clamp_coordinate(int64_t v, uint32_t limit) {
  return v < 0 ? 0 : (v > (int64_t)limit ? limit : (uint32_t)v);
}

int ffem_jpeg_decode_region(const uint8_t *data, size_t size, uint32_t scale_denominator, int64_t x0, int64_t y0,
                            int64_t x1, int64_t y1, uint8_t **pixels, ffem_jpeg_region *region, char *error) {
  if (check_input(data, size, scale_denominator, error) != 0) return -1;
  struct jpeg_decompress_struct cinfo;
  guarded_error guard;
  uint8_t *volatile buffer = NULL;
  install_guard((j_common_ptr)&cinfo, &guard, error);
  jpeg_create_decompress(&cinfo);
  if (setjmp(guard.escape)) { jpeg_destroy_decompress(&cinfo); free(buffer); return -1; }
  ffem_jpeg_info info;
  if (prepare(&cinfo, data, size, scale_denominator, &info, error) != 0) { jpeg_destroy_decompress(&cinfo); return -1; }
  const uint32_t left = clamp_coordinate(x0, info.width), right = clamp_coordinate(x1, info.width);
  const uint32_t top = clamp_coordinate(y0, info.height), bottom = clamp_coordinate(y1, info.height);
  if (right <= left || bottom <= top) {
    snprintf(error, FFEM_IO_ERROR_SIZE, "JPEG region is empty after clamping to the %ux%u image", info.width, info.height);
    jpeg_destroy_decompress(&cinfo);
    return -1;
  }
  jpeg_start_decompress(&cinfo);
  JDIMENSION xoffset = left, width = right - left;
  if (left > 0 || right < info.width) jpeg_crop_scanline(&cinfo, &xoffset, &width);
  if (top > 0) jpeg_skip_scanlines(&cinfo, top);
  const size_t row_bytes = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
  buffer = malloc(row_bytes * (bottom - top));
  if (buffer == NULL) {
    snprintf(error, FFEM_IO_ERROR_SIZE, "out of memory decoding a JPEG region");
    jpeg_destroy_decompress(&cinfo);
    return -1;
  }
  while (cinfo.output_scanline < bottom) {
    JSAMPROW row = buffer + (size_t)(cinfo.output_scanline - top) * row_bytes;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  region->x = xoffset;
  region->y = top;
  region->width = cinfo.output_width;
  region->height = bottom - top;
  region->components = (uint32_t)cinfo.output_components;
  region->full_width = info.width;
  region->full_height = info.height;
  jpeg_abort_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  *pixels = buffer;
  return 0;
}

int ffem_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t components, int quality,
                     uint8_t **jpeg, size_t *jpeg_size, char *error) {
  if ((components != 1 && components != 3) || width == 0 || height == 0) {
    snprintf(error, FFEM_IO_ERROR_SIZE, "cannot encode a %ux%u image with %u components", width, height, components);
    return -1;
  }
  struct jpeg_compress_struct cinfo;
  guarded_error guard;
  unsigned char *buffer = NULL;
  unsigned long buffer_size = 0;
  install_guard((j_common_ptr)&cinfo, &guard, error);
  jpeg_create_compress(&cinfo);
  if (setjmp(guard.escape)) { jpeg_destroy_compress(&cinfo); free(buffer); return -1; }
  jpeg_mem_dest(&cinfo, &buffer, &buffer_size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = (int)components;
  cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  const size_t row_bytes = (size_t)width * components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row_bytes);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  *jpeg = buffer;
  *jpeg_size = buffer_size;
  return 0;
}
