// CFFEMKernels — ffem_qs8_gemm_minmax_prelu_ukernel_8x32c4__avx512vnni: the 8x32c4 GEMM with a per-channel
// PReLU fused into its output stage (ffem_qs8_prelu_epilogue: the bytes of the plain kernel followed
// by ffem_qs8_vprelu_ukernel__scalar). Same tile and packing as the plain kernel; the loop is in
// qs8-gemm-8x32c4-avx512vnni.h, the epilogue in common/prelu-epilogue-avx512.h.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "qs8-gemm-8x32c4-avx512vnni.h"

TARGET_AVX512VNNI void ffem_qs8_gemm_minmax_prelu_ukernel_8x32c4__avx512vnni(
    size_t m, size_t n, size_t k, const int8_t *input, size_t input_stride, const void *packed_weights,
    int8_t *output, size_t output_stride, const ffem_qs8_requant_params *params, const ffem_qs8_prelu_epilogue *prelu) {
  if (ffem_prelu_is_narrow(prelu->params, n)) {
    gemm_8x32c4(m, n, k, input, input_stride, packed_weights, output, output_stride, params, prelu, 1, 0);
  } else {
    gemm_8x32c4(m, n, k, input, input_stride, packed_weights, output, output_stride, params, prelu, 0, 0);
  }
}
#endif
