// CFFEMKernels — im2col and its adjoint col2im for NHWC convolution (contract in ffem_f32.h).
#include <string.h>
#include "ffem_f32.h"

void ffem_f32_im2col(const float *x, size_t height, size_t width, size_t channels, size_t kh, size_t kw,
                     size_t stride, size_t pad_top, size_t pad_left, float *col, size_t out_height, size_t out_width) {
  const size_t C = channels, row_length = kh * kw * C;
  for (size_t oy = 0; oy < out_height; oy++) {
    for (size_t ox = 0; ox < out_width; ox++) {
      float *restrict row = col + (oy * out_width + ox) * row_length;
      for (size_t ky = 0; ky < kh; ky++) {
        const ptrdiff_t iy = (ptrdiff_t)(oy * stride + ky) - (ptrdiff_t)pad_top;
        for (size_t kx = 0; kx < kw; kx++) {
          const ptrdiff_t ix = (ptrdiff_t)(ox * stride + kx) - (ptrdiff_t)pad_left;
          float *restrict out = row + (ky * kw + kx) * C;
          if (iy < 0 || iy >= (ptrdiff_t)height || ix < 0 || ix >= (ptrdiff_t)width) {
            memset(out, 0, C * sizeof(float));
          } else {
            memcpy(out, x + ((size_t)iy * width + (size_t)ix) * C, C * sizeof(float));
          }
        }
      }
    }
  }
}

void ffem_f32_col2im(const float *dcol, size_t height, size_t width, size_t channels, size_t kh, size_t kw,
                     size_t stride, size_t pad_top, size_t pad_left, float *dx, size_t out_height, size_t out_width) {
  const size_t C = channels, row_length = kh * kw * C;
  for (size_t oy = 0; oy < out_height; oy++) {
    for (size_t ox = 0; ox < out_width; ox++) {
      const float *restrict row = dcol + (oy * out_width + ox) * row_length;
      for (size_t ky = 0; ky < kh; ky++) {
        const ptrdiff_t iy = (ptrdiff_t)(oy * stride + ky) - (ptrdiff_t)pad_top;
        if (iy < 0 || iy >= (ptrdiff_t)height) continue;
        for (size_t kx = 0; kx < kw; kx++) {
          const ptrdiff_t ix = (ptrdiff_t)(ox * stride + kx) - (ptrdiff_t)pad_left;
          if (ix < 0 || ix >= (ptrdiff_t)width) continue;
          const float *restrict in = row + (ky * kw + kx) * C;
          float *restrict out = dx + ((size_t)iy * width + (size_t)ix) * C;
          for (size_t c = 0; c < C; c++) out[c] += in[c];
        }
      }
    }
  }
}
