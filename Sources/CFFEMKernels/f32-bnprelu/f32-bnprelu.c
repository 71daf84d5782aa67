// CFFEMKernels — batch normalisation followed by PReLU, fused for training; contracts in ffem_f32.h.
// Every expression below is written as in f32-channelwise.c (same operands, same order), lane-wise
// on four channels then scalar for the rest, so the fused passes give the unfused passes' bits;
// the tests compare the two.
#include <stdlib.h>
#include <string.h>
#include "ffem_f32.h"
#include "../f32-common/f32-loop.h"

typedef ffem_f32x4 v4;
#define LOAD ffem_f32x4_load
#define STORE ffem_f32x4_store
#define SELECT ffem_f32x4_select_positive

void ffem_f32_bn_prelu_forward(const float *x, size_t rows, size_t channels, const ffem_f32_bn_prelu_channels *p, float *z) {
  const float *mean = p->mean, *inverse_std = p->inverse_std, *gamma = p->gamma, *beta = p->beta, *alpha = p->alpha;
  const size_t vector_channels = channels & ~(size_t)3;
  for (size_t r = 0; r < rows; r++) {
    const float *in = x + r * channels;
    float *out = z + r * channels;
    size_t c = 0;
    for (; c < vector_channels; c += 4) {
      const v4 h = (LOAD(in + c) - LOAD(mean + c)) * LOAD(inverse_std + c);
      const v4 y = h * LOAD(gamma + c) + LOAD(beta + c);
      STORE(out + c, SELECT(y, y, LOAD(alpha + c) * y));
    }
    for (; c < channels; c++) {
      const float h = (in[c] - mean[c]) * inverse_std[c];
      const float y = h * gamma[c] + beta[c], negative = alpha[c] * y;
      out[c] = y > 0.0f ? y : negative;
    }
  }
}

enum { PARTIAL_ROWS = 64, STACK_CHANNELS = 2048 };

void ffem_f32_bn_prelu_backward_sums(const float *x, const float *dz, size_t rows, size_t channels,
                                     const ffem_f32_bn_prelu_channels *p, float *dalpha, double *sum_dy, double *sum_dy_xhat) {
  const float *mean = p->mean, *inverse_std = p->inverse_std, *gamma = p->gamma, *beta = p->beta, *alpha = p->alpha;
  const size_t vector_channels = channels & ~(size_t)3;
  const v4 zero = {0, 0, 0, 0};
  float stack[2 * STACK_CHANNELS];
  float *partial = channels <= STACK_CHANNELS ? stack : malloc(2 * channels * sizeof(float));
  float *pa = partial, *pab = partial + channels, *da = dalpha;
  for (size_t start = 0; start < rows; start += PARTIAL_ROWS) {
    const size_t end = start + PARTIAL_ROWS < rows ? start + PARTIAL_ROWS : rows;
    memset(partial, 0, 2 * channels * sizeof(float));
    for (size_t r = start; r < end; r++) {
      const float *in = x + r * channels, *g = dz + r * channels;
      size_t c = 0;
      for (; c < vector_channels; c += 4) {
        const v4 h = (LOAD(in + c) - LOAD(mean + c)) * LOAD(inverse_std + c);
        const v4 y = h * LOAD(gamma + c) + LOAD(beta + c), grad = LOAD(g + c);
        const v4 dy = SELECT(y, grad, LOAD(alpha + c) * grad);
        STORE(da + c, LOAD(da + c) + SELECT(y, zero, grad * y));
        STORE(pa + c, LOAD(pa + c) + dy);
        STORE(pab + c, LOAD(pab + c) + dy * h);
      }
      for (; c < channels; c++) {
        const float h = (in[c] - mean[c]) * inverse_std[c];
        const float y = h * gamma[c] + beta[c], grad = g[c], scaled = alpha[c] * grad, product = grad * y;
        const float dy = y > 0.0f ? grad : scaled;
        da[c] += y > 0.0f ? 0.0f : product;
        pa[c] += dy;
        pab[c] += dy * h;
      }
    }
    for (size_t c = 0; c < channels; c++) {
      sum_dy[c] += pa[c];
      sum_dy_xhat[c] += pab[c];
    }
  }
  if (partial != stack) free(partial);
}

void ffem_f32_bn_prelu_backward_input(const float *x, const float *dz, size_t rows, size_t channels,
                                      const ffem_f32_bn_prelu_channels *p, const float *a, const float *mean_dy,
                                      const float *mean_dy_xhat, int accumulate, float *dx) {
  const float *mean = p->mean, *inverse_std = p->inverse_std, *gamma = p->gamma, *beta = p->beta, *alpha = p->alpha;
  const size_t vector_channels = channels & ~(size_t)3;
  for (size_t r = 0; r < rows; r++) {
    const float *in = x + r * channels, *g = dz + r * channels;
    float *d = dx + r * channels;
    size_t c = 0;
    for (; c < vector_channels; c += 4) {
      const v4 h = (LOAD(in + c) - LOAD(mean + c)) * LOAD(inverse_std + c);
      const v4 y = h * LOAD(gamma + c) + LOAD(beta + c), grad = LOAD(g + c);
      const v4 dy = SELECT(y, grad, LOAD(alpha + c) * grad);
      const v4 value = LOAD(a + c) * (dy - LOAD(mean_dy + c) - h * LOAD(mean_dy_xhat + c));
      STORE(d + c, accumulate ? LOAD(d + c) + value : value);
    }
    for (; c < channels; c++) {
      const float h = (in[c] - mean[c]) * inverse_std[c];
      const float y = h * gamma[c] + beta[c], scaled = alpha[c] * g[c], dy = y > 0.0f ? g[c] : scaled;
      const float value = a[c] * (dy - mean_dy[c] - h * mean_dy_xhat[c]);
      d[c] = accumulate ? d[c] + value : value;
    }
  }
}
