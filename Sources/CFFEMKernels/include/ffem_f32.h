// CFFEMKernels — float32 kernels the trainer needs beyond BLAS (NHWC, one image per call).
//
// Shapes: input H×W×C, output Ho×Wo×C (depthwise) or Ho×Wo×(kh·kw·C) (im2col rows), with
//   Ho = (H + pad_top + pad_bottom − kh) / stride + 1   (the caller computes Ho, Wo)
// and input pixel (iy, ix) = (oy·stride − pad_top + ky, ox·stride − pad_left + kx); taps outside the
// input read as 0. Depthwise weights are kh×kw×C (HWC, channel fastest).
#ifndef FFEM_F32_H
#define FFEM_F32_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// y[oy,ox,c] = bias[c] + Σ_{ky,kx} x[iy,ix,c]·w[ky,kx,c]   (bias may be NULL: 0)
void ffem_f32_dwconv_forward(const float *x, size_t height, size_t width, size_t channels, const float *w,
                             const float *bias, size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left,
                             float *y, size_t out_height, size_t out_width);

/// Gradients of ffem_f32_dwconv_forward given dy:
///   dx[iy,ix,c] += Σ dy[oy,ox,c]·w[ky,kx,c]   (dx may be NULL)
///   dw[ky,kx,c] += Σ dy[oy,ox,c]·x[iy,ix,c]
///   db[c]       += Σ dy[oy,ox,c]               (db may be NULL)
/// Every output is accumulated into, so the caller zeroes it once per batch.
void ffem_f32_dwconv_backward(const float *x, size_t height, size_t width, size_t channels, const float *w,
                              size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left, const float *dy,
                              size_t out_height, size_t out_width, float *dx, float *dw, float *db);

/// Unfolds patches: col[(oy·Wo + ox), (ky·kw + kx)·C + c] = x[iy, ix, c] (0 outside), so that a
/// convolution with OHWI weights is col · Wᵀ.
void ffem_f32_im2col(const float *x, size_t height, size_t width, size_t channels, size_t kh, size_t kw,
                     size_t stride, size_t pad_top, size_t pad_left, float *col, size_t out_height, size_t out_width);

/// The adjoint of ffem_f32_im2col: dx[iy, ix, c] += dcol[(oy·Wo + ox), (ky·kw + kx)·C + c].
void ffem_f32_col2im(const float *dcol, size_t height, size_t width, size_t channels, size_t kh, size_t kw,
                     size_t stride, size_t pad_top, size_t pad_left, float *dx, size_t out_height, size_t out_width);

#ifdef __cplusplus
}
#endif
#endif
