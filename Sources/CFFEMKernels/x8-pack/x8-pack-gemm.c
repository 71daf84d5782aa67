// CFFEMKernels — GEMM weight packing per tile (layout in ffem_qs8.h, ffem_qs8_gemm_tile).
#include <assert.h>
#include <string.h>

#include "ffem_qs8.h"

static size_t round_up(size_t value, size_t multiple) { return (value + multiple - 1) / multiple * multiple; }

size_t ffem_x8_pack_gemm_size(const ffem_qs8_gemm_tile *tile, size_t n, size_t k) {
  const size_t blocks = round_up(n, tile->nr) / tile->nr;
  return blocks * tile->nr * (sizeof(int32_t) + round_up(k, tile->kr));
}

void ffem_x8_pack_gemm(const ffem_qs8_gemm_tile *tile, size_t n, size_t k, const int8_t *weights,
                       const int32_t *bias, int32_t input_zero_point, void *packed) {
  assert(tile->nr > 0 && tile->kr > 0);
  const size_t nr = tile->nr, kr = tile->kr, k_padded = round_up(k, kr);
  // Folded bias: Σ_k (x − zp)·w = Σ_k x·w − zp·Σ_k w; kernels that read x ^ 0x80 = x + 128 as
  // uint8 add 128·Σ_k w, which the bias removes too. |zp + 128| ≤ 255, |Σ w| ≤ 127·k.
  const int32_t input_offset = input_zero_point + (tile->input_xor ? 128 : 0);
  uint8_t *out = (uint8_t *)packed;
  for (size_t n0 = 0; n0 < n; n0 += nr) {
    for (size_t j = 0; j < nr; j++) {
      int32_t packed_bias = 0;
      if (n0 + j < n) {
        int32_t weight_sum = 0;
        for (size_t kk = 0; kk < k; kk++) weight_sum += weights[(n0 + j) * k + kk];
        packed_bias = (bias ? bias[n0 + j] : 0) - input_offset * weight_sum;
      }
      memcpy(out, &packed_bias, sizeof(int32_t));
      out += sizeof(int32_t);
    }
    for (size_t k0 = 0; k0 < k_padded; k0 += kr) {
      for (size_t j = 0; j < nr; j++) {
        for (size_t kk = k0; kk < k0 + kr; kk++) {
          *out++ = (uint8_t)((n0 + j < n && kk < k) ? weights[(n0 + j) * k + kk] : 0);
        }
      }
    }
  }
}
