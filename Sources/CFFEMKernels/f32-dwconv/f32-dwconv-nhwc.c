// CFFEMKernels — float depthwise convolution, forward and backward, NHWC: the scalar reference
// (contract in ffem_f32.h). The plain loops, never optimised in place: the register-tiled kernels
// (f32-dwconv-tiled.h) are tested against these, bit for bit.
#include <string.h>
#include "ffem_f32.h"

void ffem_f32_dwconv_forward__scalar(const float *x, size_t height, size_t width, size_t channels, const float *w,
                             const float *bias, size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left,
                             float *y, size_t out_height, size_t out_width) {
  const size_t C = channels;
  for (size_t oy = 0; oy < out_height; oy++) {
    for (size_t ox = 0; ox < out_width; ox++) {
      float *restrict out = y + (oy * out_width + ox) * C;
      if (bias) memcpy(out, bias, C * sizeof(float)); else memset(out, 0, C * sizeof(float));
      for (size_t ky = 0; ky < kh; ky++) {
        const ptrdiff_t iy = (ptrdiff_t)(oy * stride + ky) - (ptrdiff_t)pad_top;
        if (iy < 0 || iy >= (ptrdiff_t)height) continue;
        for (size_t kx = 0; kx < kw; kx++) {
          const ptrdiff_t ix = (ptrdiff_t)(ox * stride + kx) - (ptrdiff_t)pad_left;
          if (ix < 0 || ix >= (ptrdiff_t)width) continue;
          const float *restrict in = x + ((size_t)iy * width + (size_t)ix) * C;
          const float *restrict tap = w + (ky * kw + kx) * C;
          for (size_t c = 0; c < C; c++) out[c] += in[c] * tap[c];
        }
      }
    }
  }
}

void ffem_f32_dwconv_backward__scalar(const float *x, size_t height, size_t width, size_t channels, const float *w,
                              size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left, const float *dy,
                              size_t out_height, size_t out_width, float *dx, float *dw, float *db) {
  const size_t C = channels;
  for (size_t oy = 0; oy < out_height; oy++) {
    for (size_t ox = 0; ox < out_width; ox++) {
      const float *restrict g = dy + (oy * out_width + ox) * C;
      if (db)
        for (size_t c = 0; c < C; c++) db[c] += g[c];
      for (size_t ky = 0; ky < kh; ky++) {
        const ptrdiff_t iy = (ptrdiff_t)(oy * stride + ky) - (ptrdiff_t)pad_top;
        if (iy < 0 || iy >= (ptrdiff_t)height) continue;
        for (size_t kx = 0; kx < kw; kx++) {
          const ptrdiff_t ix = (ptrdiff_t)(ox * stride + kx) - (ptrdiff_t)pad_left;
          if (ix < 0 || ix >= (ptrdiff_t)width) continue;
          const size_t offset = ((size_t)iy * width + (size_t)ix) * C;
          const float *restrict in = x + offset;
          float *restrict tap_grad = dw + (ky * kw + kx) * C;
          for (size_t c = 0; c < C; c++) tap_grad[c] += g[c] * in[c];
          if (dx) {
            const float *restrict tap = w + (ky * kw + kx) * C;
            float *restrict in_grad = dx + offset;
            for (size_t c = 0; c < C; c++) in_grad[c] += g[c] * tap[c];
          }
        }
      }
    }
  }
}
