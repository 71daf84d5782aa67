// CFFEMKernels — ffem_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni: 8 rows × 32 columns per step, K in
// blocks of 4 (tile mr 8, nr 32, kr 4, input_xor 0x80; pack with ffem_x8_pack_gemm). The loop is
// in qs8-gemm-8x32c4-avx512vnni.h.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "qs8-gemm-8x32c4-avx512vnni.h"

TARGET_AVX512VNNI void ffem_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni(
    size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params) {
  if (ffem_requant_is_right_shift(params, n)) {
    gemm_8x32c4(m, n, k, input, input_stride, packed_weights, output, output_stride, params, NULL, 0, 1);
  } else {
    gemm_8x32c4(m, n, k, input, input_stride, packed_weights, output, output_stride, params, NULL, 0, 0);
  }
}
#endif
