// CFFEMKernels — ffem_qs8_gemm_minmax_ukernel_1x4__scalar: the GEMM oracle (tile mr 1, nr 4, kr 1).
#include <assert.h>
#include <string.h>

#include "ffem_fixedpoint.h"
#include "ffem_qs8.h"

// Bound: |acc| ≤ |packed_bias| + k·128·127; with k ≤ 2^16 and a bias from a sane quantizer
// (|bias| < 2^30) the int32 sum cannot overflow.
void ffem_qs8_gemm_minmax_ukernel_1x4__scalar(size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride,
                                              const void *packed_weights, int8_t *output, size_t output_stride,
                                              const ffem_qs8_requant_params *params) {
  enum { NR = 4 };
  assert(input_stride >= k && output_stride >= n);
  const uint8_t *block = (const uint8_t *)packed_weights;
  for (size_t n0 = 0; n0 < n; n0 += NR) {
    int32_t bias[NR];
    memcpy(bias, block, sizeof(bias));
    const int8_t *w = (const int8_t *)(block + sizeof(bias));
    const size_t columns = n - n0 < NR ? n - n0 : NR;
    for (size_t i = 0; i < m; i++) {
      const int8_t *a = input + i * input_stride;
      for (size_t j = 0; j < columns; j++) {
        int32_t acc = bias[j];
        for (size_t kk = 0; kk < k; kk++) acc += (int32_t)a[kk] * (int32_t)w[kk * NR + j];
        output[i * output_stride + n0 + j] =
            ffem_requantize_s32(acc, params->multiplier[n0 + j], params->shift[n0 + j], params->output_zero_point,
                                params->output_min, params->output_max);
      }
    }
    block += sizeof(bias) + k * NR;
  }
}
