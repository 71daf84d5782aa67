// CFFEMKernels — the body of the clamp (ReLU/ReLU6) NEON kernel, 16 bytes per step, shared by the
// AArch64 `neon` and the 32-bit `armv7neon` kernels:
//   output[i] = min(max(input[i], output_min), output_max)   (`vmaxq_s8`, `vminq_s8`), as the oracle.
#ifndef FFEM_QS8_VCLAMP_16_MINMAX_H
#define FFEM_QS8_VCLAMP_16_MINMAX_H

#include "../common/fixedpoint-neon.h"

static inline void ffem_qs8_vclamp_16_minmax(size_t count, const int8_t *input, int8_t *output, int8_t output_min,
                                             int8_t output_max) {
  const int8x16_t lo = vdupq_n_s8(output_min), hi = vdupq_n_s8(output_max);
  size_t i = 0;
  for (; i + 16 <= count; i += 16) vst1q_s8(output + i, vminq_s8(vmaxq_s8(vld1q_s8(input + i), lo), hi));
  if (i < count) {
    const int8x16_t x = ffem_neon_load_partial16(input + i, count - i, 0);
    ffem_neon_store_partial16(output + i, vminq_s8(vmaxq_s8(x, lo), hi), count - i);
  }
}

#endif
