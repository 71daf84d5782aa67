// CFFEMKernels — per-channel float kernels of the trainer (PReLU, batch normalisation); contracts in
// ffem_f32.h. Channels innermost, each channel loop marked FFEM_CHANNEL_LOOP (f32-loop.h) so that
// it vectorises without overlap checks.
#include <stdlib.h>
#include <string.h>
#include "ffem_f32.h"
#include "../f32-common/f32-loop.h"

void ffem_f32_prelu_forward(const float *x, size_t rows, size_t channels, const float *alpha, float *y) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict in = x + r * channels;
    float *restrict out = y + r * channels;
    FFEM_CHANNEL_LOOP
    for (size_t c = 0; c < channels; c++) {
      const float v = in[c], negative = alpha[c] * v;  // unconditional loads: the loop if-converts and vectorises
      out[c] = v > 0.0f ? v : negative;
    }
  }
}

void ffem_f32_prelu_backward(const float *x, const float *dy, size_t rows, size_t channels, const float *alpha,
                             float *dx, float *dalpha) {
  const size_t vector_channels = channels & ~(size_t)3;
  const ffem_f32x4 zero = {0, 0, 0, 0};
  for (size_t r = 0; r < rows; r++) {
    const float *in = x + r * channels, *g = dy + r * channels;
    float *d = dx ? dx + r * channels : NULL;
    // Explicit four-lane code: the autovectoriser ran this loop scalar with a branch per element.
    size_t c = 0;
    for (; c < vector_channels; c += 4) {
      const ffem_f32x4 v = ffem_f32x4_load(in + c), grad = ffem_f32x4_load(g + c);
      ffem_f32x4_store(dalpha + c, ffem_f32x4_load(dalpha + c) + ffem_f32x4_select_positive(v, zero, grad * v));
      if (d) {
        const ffem_f32x4 scaled = ffem_f32x4_load(alpha + c) * grad;
        ffem_f32x4_store(d + c, ffem_f32x4_load(d + c) + ffem_f32x4_select_positive(v, grad, scaled));
      }
    }
    for (; c < channels; c++) {
      const float v = in[c], grad = g[c], product = grad * v, scaled = alpha[c] * grad;
      dalpha[c] += v > 0.0f ? 0.0f : product;
      if (d) d[c] += v > 0.0f ? grad : scaled;
    }
  }
}

void ffem_f32_channel_affine(const float *x, size_t rows, size_t channels, const float *scale, const float *shift, float *y) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict in = x + r * channels;
    float *restrict out = y + r * channels;
    FFEM_CHANNEL_LOOP
    for (size_t c = 0; c < channels; c++) out[c] = in[c] * scale[c] + shift[c];
  }
}

void ffem_f32_batchnorm_normalize(const float *x, size_t rows, size_t channels, const float *mean, const float *inverse_std,
                                  const float *gamma, const float *beta, float *normalized, float *y) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict in = x + r * channels;
    float *restrict h = normalized + r * channels;
    float *restrict out = y + r * channels;
    FFEM_CHANNEL_LOOP
    for (size_t c = 0; c < channels; c++) {
      h[c] = (in[c] - mean[c]) * inverse_std[c];
      out[c] = h[c] * gamma[c] + beta[c];
    }
  }
}

void ffem_f32_batchnorm_backward_input(const float *dy, const float *xhat, size_t rows, size_t channels, const float *a,
                                       const float *mean_dy, const float *mean_dy_xhat, int accumulate, float *dx) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict g = dy + r * channels;
    const float *restrict h = xhat + r * channels;
    float *restrict d = dx + r * channels;
    if (accumulate) {
      FFEM_CHANNEL_LOOP
      for (size_t c = 0; c < channels; c++) d[c] += a[c] * (g[c] - mean_dy[c] - h[c] * mean_dy_xhat[c]);
    } else {
      FFEM_CHANNEL_LOOP
      for (size_t c = 0; c < channels; c++) d[c] = a[c] * (g[c] - mean_dy[c] - h[c] * mean_dy_xhat[c]);
    }
  }
}

enum { PARTIAL_ROWS = 64, STACK_CHANNELS = 2048 };

void ffem_f32_channel_sums(const float *a, const float *b, size_t rows, size_t channels, double *sum_a, double *sum_ab) {
  float stack[2 * STACK_CHANNELS];
  float *partial = channels <= STACK_CHANNELS ? stack : malloc(2 * channels * sizeof(float));
  float *restrict pa = partial, *restrict pab = partial + channels;
  for (size_t start = 0; start < rows; start += PARTIAL_ROWS) {
    const size_t end = start + PARTIAL_ROWS < rows ? start + PARTIAL_ROWS : rows;
    memset(partial, 0, 2 * channels * sizeof(float));
    for (size_t r = start; r < end; r++) {
      const float *restrict ar = a + r * channels;
      FFEM_CHANNEL_LOOP
      for (size_t c = 0; c < channels; c++) pa[c] += ar[c];
      if (b) {
        const float *restrict br = b + r * channels;
        FFEM_CHANNEL_LOOP
        for (size_t c = 0; c < channels; c++) pab[c] += ar[c] * br[c];
      }
    }
    FFEM_CHANNEL_LOOP
    for (size_t c = 0; c < channels; c++) sum_a[c] += pa[c];
    if (b) {
      FFEM_CHANNEL_LOOP
      for (size_t c = 0; c < channels; c++) sum_ab[c] += pab[c];
    }
  }
  if (partial != stack) free(partial);
}

void ffem_f32_channel_centered_squares(const float *x, size_t rows, size_t channels, const float *mean, double *sum_sq) {
  float stack[STACK_CHANNELS];
  float *restrict partial = channels <= STACK_CHANNELS ? stack : malloc(channels * sizeof(float));
  for (size_t start = 0; start < rows; start += PARTIAL_ROWS) {
    const size_t end = start + PARTIAL_ROWS < rows ? start + PARTIAL_ROWS : rows;
    memset(partial, 0, channels * sizeof(float));
    for (size_t r = start; r < end; r++) {
      const float *restrict xr = x + r * channels;
      FFEM_CHANNEL_LOOP
      for (size_t c = 0; c < channels; c++) {
        const float d = xr[c] - mean[c];
        partial[c] += d * d;
      }
    }
    FFEM_CHANNEL_LOOP
    for (size_t c = 0; c < channels; c++) sum_sq[c] += partial[c];
  }
  if (partial != stack) free(partial);
}
