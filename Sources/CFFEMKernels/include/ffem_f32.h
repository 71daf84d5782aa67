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
/// Taps are summed in (ky, kx) order onto the bias (or 0), without FMA, by every variant.
void ffem_f32_dwconv_forward(const float *x, size_t height, size_t width, size_t channels, const float *w,
                             const float *bias, size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left,
                             float *y, size_t out_height, size_t out_width);

/// Gradients of ffem_f32_dwconv_forward given dy:
///   dx[iy,ix,c] (+)= Σ dy[oy,ox,c]·w[ky,kx,c]   added when accumulate ≠ 0, stored otherwise (dx may be NULL)
///   dw[ky,kx,c] += Σ dy[oy,ox,c]·x[iy,ix,c]
///   db[c]       += Σ dy[oy,ox,c]               (db may be NULL)
/// Sums run over output pixels in (oy, ox) order, one rounding per term, in every variant; dw and
/// db are always accumulated into (the caller zeroes them once per batch).
void ffem_f32_dwconv_backward(const float *x, size_t height, size_t width, size_t channels, const float *w,
                              size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left, const float *dy,
                              size_t out_height, size_t out_width, int accumulate, float *dx, float *dw, float *db);

/// The scalar reference of the two above; its backward always adds into dx.
void ffem_f32_dwconv_forward__scalar(const float *x, size_t height, size_t width, size_t channels, const float *w,
                                     const float *bias, size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left,
                                     float *y, size_t out_height, size_t out_width);
void ffem_f32_dwconv_backward__scalar(const float *x, size_t height, size_t width, size_t channels, const float *w,
                                      size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left, const float *dy,
                                      size_t out_height, size_t out_width, float *dx, float *dw, float *db);

typedef void (*ffem_f32_dwconv_forward_fn)(const float *x, size_t height, size_t width, size_t channels, const float *w,
                                           const float *bias, size_t kh, size_t kw, size_t stride, size_t pad_top,
                                           size_t pad_left, float *y, size_t out_height, size_t out_width);
typedef void (*ffem_f32_dwconv_backward_fn)(const float *x, size_t height, size_t width, size_t channels, const float *w,
                                            size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left,
                                            const float *dy, size_t out_height, size_t out_width, int accumulate, float *dx,
                                            float *dw, float *db);
/// One register-tiled variant (f32-dwconv-tiled.h): channels per tile and ISA in the name.
typedef struct {
  const char *name;
  ffem_f32_dwconv_forward_fn forward;
  ffem_f32_dwconv_backward_fn backward;
} ffem_f32_dwconv_ukernels;
/// The variants this CPU runs, best first (the entry points above use the first); sets *count.
const ffem_f32_dwconv_ukernels *ffem_f32_dwconv_variants(size_t *count);

#define FFEM_F32_DWCONV_VARIANT(isa)                                                                                    \
  void ffem_f32_dwconv_forward__##isa(const float *x, size_t height, size_t width, size_t channels, const float *w,     \
                                      const float *bias, size_t kh, size_t kw, size_t stride, size_t pad_top,          \
                                      size_t pad_left, float *y, size_t out_height, size_t out_width);                 \
  void ffem_f32_dwconv_backward__##isa(const float *x, size_t height, size_t width, size_t channels, const float *w,    \
                                       size_t kh, size_t kw, size_t stride, size_t pad_top, size_t pad_left,           \
                                       const float *dy, size_t out_height, size_t out_width, int accumulate, float *dx, \
                                       float *dw, float *db);
FFEM_F32_DWCONV_VARIANT(c4)
#if defined(__x86_64__)
FFEM_F32_DWCONV_VARIANT(avx2)
FFEM_F32_DWCONV_VARIANT(avx512)
#endif
#undef FFEM_F32_DWCONV_VARIANT

/// Unfolds patches: col[(oy·Wo + ox), (ky·kw + kx)·C + c] = x[iy, ix, c] (0 outside), so that a
/// convolution with OHWI weights is col · Wᵀ.
void ffem_f32_im2col(const float *x, size_t height, size_t width, size_t channels, size_t kh, size_t kw,
                     size_t stride, size_t pad_top, size_t pad_left, float *col, size_t out_height, size_t out_width);

/// The adjoint of ffem_f32_im2col: dx[iy, ix, c] += dcol[(oy·Wo + ox), (ky·kw + kx)·C + c].
void ffem_f32_col2im(const float *dcol, size_t height, size_t width, size_t channels, size_t kh, size_t kw,
                     size_t stride, size_t pad_top, size_t pad_left, float *dx, size_t out_height, size_t out_width);

// MARK: per-channel kernels over `rows` rows of C channels (NHWC pixels of a batch)

/// y = x > 0 ? x : alpha[c]·x
void ffem_f32_prelu_forward(const float *x, size_t rows, size_t channels, const float *alpha, float *y);
/// dx += dy·(x > 0 ? 1 : alpha[c])  (dx may be NULL);  dalpha[c] += Σ_{x ≤ 0} dy·x
void ffem_f32_prelu_backward(const float *x, const float *dy, size_t rows, size_t channels, const float *alpha,
                             float *dx, float *dalpha);
/// y = x·scale[c] + shift[c]
void ffem_f32_channel_affine(const float *x, size_t rows, size_t channels, const float *scale, const float *shift, float *y);
/// centred = x − mean[c];  y = centred·inverse_std[c] is stored in normalized, out = normalized·gamma[c] + beta[c]
void ffem_f32_batchnorm_normalize(const float *x, size_t rows, size_t channels, const float *mean, const float *inverse_std,
                                  const float *gamma, const float *beta, float *normalized, float *y);
/// dx += a[c]·(dy − mean_dy[c] − xhat·mean_dy_xhat[c])  (accumulate ≠ 0), or dx = … (accumulate = 0)
void ffem_f32_batchnorm_backward_input(const float *dy, const float *xhat, size_t rows, size_t channels, const float *a,
                                       const float *mean_dy, const float *mean_dy_xhat, int accumulate, float *dx);
/// sum_a[c] += Σ a;  sum_ab[c] += Σ a·b (when b is not NULL); float partials of 64 rows, summed in double.
void ffem_f32_channel_sums(const float *a, const float *b, size_t rows, size_t channels, double *sum_a, double *sum_ab);
/// sum_sq[c] += Σ (x − mean[c])²; float partials of 64 rows, summed in double.
void ffem_f32_channel_centered_squares(const float *x, size_t rows, size_t channels, const float *mean, double *sum_sq);

// MARK: batch normalisation followed by PReLU, fused for training (f32-bnprelu)
//
// The pair BN → PReLU of a training step without storing the BN output y or x̂: both are recomputed
// from the BN input x with the same float operations as the unfused kernels above, so every value
// (z, dx, the sums) is bit-identical to ffem_f32_batchnorm_normalize + ffem_f32_prelu_forward and
// their backward passes on the same row range:
//   x̂ = (x − mean[c])·inverse_std[c],  y = x̂·gamma[c] + beta[c],  z = y > 0 ? y : alpha[c]·y
//   dy = y > 0 ? dz : alpha[c]·dz

/// Per-channel tensors of one BN → PReLU pair (all of `channels` floats).
typedef struct {
  const float *mean, *inverse_std, *gamma, *beta, *alpha;
} ffem_f32_bn_prelu_channels;

/// z = PReLU(BN(x)) over `rows` rows.
void ffem_f32_bn_prelu_forward(const float *x, size_t rows, size_t channels, const ffem_f32_bn_prelu_channels *p, float *z);

/// The reductions of the backward pass over `rows` rows, given dz = ∂L/∂z:
///   dalpha[c] += Σ_{y ≤ 0} dz·y          (float, in row order, as ffem_f32_prelu_backward)
///   sum_dy[c] += Σ dy;  sum_dy_xhat[c] += Σ dy·x̂   (float partials of 64 rows summed in double, as
///                                                    ffem_f32_channel_sums)
void ffem_f32_bn_prelu_backward_sums(const float *x, const float *dz, size_t rows, size_t channels,
                                     const ffem_f32_bn_prelu_channels *p, float *dalpha, double *sum_dy, double *sum_dy_xhat);

/// dx (+)= a[c]·(dy − mean_dy[c] − x̂·mean_dy_xhat[c]): added when accumulate ≠ 0, stored otherwise.
void ffem_f32_bn_prelu_backward_input(const float *x, const float *dz, size_t rows, size_t channels,
                                      const ffem_f32_bn_prelu_channels *p, const float *a, const float *mean_dy,
                                      const float *mean_dy_xhat, int accumulate, float *dx);

#ifdef __cplusplus
}
#endif
#endif
