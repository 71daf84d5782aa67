// CFFEMKernels — ffem_qs8_dwconv3x3_minmax_prelu_ukernel_c64__avx512vnni: the c64 depthwise 3×3 with a
// per-channel PReLU fused into its output stage (ffem_qs8_prelu_epilogue: the bytes of the plain
// kernel followed by ffem_qs8_vprelu_ukernel__scalar). Same tile and packing as the plain kernel;
// the loop is in qs8-dwconv3x3-c64-avx512vnni.h, the epilogue in common/prelu-epilogue-avx512.h.
#include "ffem_qs8.h"

#if defined(__x86_64__)
#include "qs8-dwconv3x3-c64-avx512vnni.h"

TARGET_AVX512VNNI void ffem_qs8_dwconv3x3_minmax_prelu_ukernel_c64__avx512vnni(
    const ffem_qs8_conv3x3_geometry *g, const int8_t *input, const void *packed_weights, int8_t *output,
    const ffem_qs8_requant_params *params, const ffem_qs8_prelu_epilogue *prelu) {
  // The fused kernel is off by default (InterpreterOptions.fusesOperations): one requantization form.
  if (ffem_prelu_is_narrow(prelu->params, g->output_channels)) {
    dwconv3x3_c64(g, input, packed_weights, output, params, prelu, 1, 0);
  } else {
    dwconv3x3_c64(g, input, packed_weights, output, params, prelu, 0, 0);
  }
}
#endif
