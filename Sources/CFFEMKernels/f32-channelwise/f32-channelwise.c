// CFFEMKernels — per-channel float kernels of the trainer (PReLU, batch normalisation); contracts in
// ffem_f32.h. Channels innermost with restrict pointers, so the compiler vectorises every loop.
#include <stdlib.h>
#include <string.h>
#include "ffem_f32.h"

void ffem_f32_prelu_forward(const float *x, size_t rows, size_t channels, const float *alpha, float *y) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict in = x + r * channels;
    float *restrict out = y + r * channels;
    for (size_t c = 0; c < channels; c++) {
      const float v = in[c], negative = alpha[c] * v;  // unconditional loads: the loop if-converts and vectorises
      out[c] = v > 0.0f ? v : negative;
    }
  }
}

void ffem_f32_prelu_backward(const float *x, const float *dy, size_t rows, size_t channels, const float *alpha,
                             float *dx, float *dalpha) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict in = x + r * channels;
    const float *restrict g = dy + r * channels;
    float *restrict da = dalpha;
    for (size_t c = 0; c < channels; c++) {
      const float product = g[c] * in[c];
      da[c] += in[c] > 0.0f ? 0.0f : product;
    }
    if (dx) {
      float *restrict d = dx + r * channels;
      for (size_t c = 0; c < channels; c++) {
        const float scaled = alpha[c] * g[c];
        d[c] += in[c] > 0.0f ? g[c] : scaled;
      }
    }
  }
}

void ffem_f32_channel_affine(const float *x, size_t rows, size_t channels, const float *scale, const float *shift, float *y) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict in = x + r * channels;
    float *restrict out = y + r * channels;
    for (size_t c = 0; c < channels; c++) out[c] = in[c] * scale[c] + shift[c];
  }
}

void ffem_f32_batchnorm_normalize(const float *x, size_t rows, size_t channels, const float *mean, const float *inverse_std,
                                  const float *gamma, const float *beta, float *normalized, float *y) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict in = x + r * channels;
    float *restrict h = normalized + r * channels;
    float *restrict out = y + r * channels;
    for (size_t c = 0; c < channels; c++) {
      h[c] = (in[c] - mean[c]) * inverse_std[c];
      out[c] = h[c] * gamma[c] + beta[c];
    }
  }
}

void ffem_f32_batchnorm_backward_input(const float *dy, const float *xhat, size_t rows, size_t channels, const float *a,
                                       const float *mean_dy, const float *mean_dy_xhat, float *dx) {
  for (size_t r = 0; r < rows; r++) {
    const float *restrict g = dy + r * channels;
    const float *restrict h = xhat + r * channels;
    float *restrict d = dx + r * channels;
    for (size_t c = 0; c < channels; c++) d[c] += a[c] * (g[c] - mean_dy[c] - h[c] * mean_dy_xhat[c]);
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
      for (size_t c = 0; c < channels; c++) pa[c] += ar[c];
      if (b) {
        const float *restrict br = b + r * channels;
        for (size_t c = 0; c < channels; c++) pab[c] += ar[c] * br[c];
      }
    }
    for (size_t c = 0; c < channels; c++) sum_a[c] += pa[c];
    if (b)
      for (size_t c = 0; c < channels; c++) sum_ab[c] += pab[c];
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
      for (size_t c = 0; c < channels; c++) {
        const float d = xr[c] - mean[c];
        partial[c] += d * d;
      }
    }
    for (size_t c = 0; c < channels; c++) sum_sq[c] += partial[c];
  }
  if (partial != stack) free(partial);
}
