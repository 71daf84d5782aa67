// CFFEMKernels — the integer BT.601 rule of ffem_yuv_to_rgb() as one table per range, for the SIMD
// convert stages (internal). With these coefficients every range is the same formula:
//   c = y_scale·(Y − y_offset) + 128,  d = Cb − 128,  e = Cr − 128
//   R = clamp((c + v_to_r·e) >> 8),  G = clamp((c + u_to_g·d + v_to_g·e) >> 8),  B = clamp((c + u_to_b·d) >> 8)
// (arithmetic shift, clamp to [0, 255]), term for term the scalar rule of pixel-fetch.h.
#ifndef FFEM_CROP_YUV_COEFFICIENTS_H
#define FFEM_CROP_YUV_COEFFICIENTS_H
#include <stdint.h>

#include "ffem_image.h"

typedef struct ffem_yuv_coefficients {
  int16_t y_offset, y_scale, v_to_r, u_to_g, v_to_g, u_to_b;
} ffem_yuv_coefficients;

static inline ffem_yuv_coefficients ffem_yuv_coefficients_of(ffem_yuv_range range) {
  const ffem_yuv_coefficients limited = {16, 298, 409, -100, -208, 516};
  const ffem_yuv_coefficients full = {0, 256, 359, -88, -183, 454};
  return range == FFEM_YUV_LIMITED ? limited : full;
}
#endif
